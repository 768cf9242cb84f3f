/// Which targets receive a vote on every row (some tree has a vote for them in every leaf) and
/// which on none; when that covers every target, has-score flags need no tracking per row.
struct TreeTargetCoverage {
    let alwaysScored: [Bool]
    let isFixed: Bool

    init(_ definition: TreeEnsembleDefinition) {
        let targets = definition.targetCount
        var always = [Bool](repeating: false, count: targets)
        var ever = [Bool](repeating: false, count: targets)
        for root in definition.roots {
            var inEveryLeaf = [Bool](repeating: true, count: targets)
            var seen = Set<Int>([root])
            var stack = [root]
            while let i = stack.popLast() {
                let node = definition.nodes[i]
                if node.mode == .leaf {
                    var here = [Bool](repeating: false, count: targets)
                    for k in node.weightStart..<(node.weightStart + node.weightCount) {
                        here[definition.weightTargets[k]] = true
                        ever[definition.weightTargets[k]] = true
                    }
                    for t in 0..<targets where !here[t] { inEveryLeaf[t] = false }
                    continue
                }
                for child in [node.trueChild, node.falseChild] where seen.insert(child).inserted { stack.append(child) }
            }
            for t in 0..<targets where inEveryLeaf[t] { always[t] = true }
        }
        alwaysScored = always
        isFixed = (0..<targets).allSatisfy { always[$0] || !ever[$0] }
    }
}
