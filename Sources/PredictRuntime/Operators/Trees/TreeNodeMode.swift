/// The comparison a tree node makes between a feature value x and its threshold t, or `leaf`.
///
/// A comparison with NaN is false (x <= NaN, NaN <= t, ...), so a NaN feature value takes the
/// false branch unless the node's `nodes_missing_value_tracks_true` is set.
enum TreeNodeMode: UInt8, Sendable, CaseIterable {
    /// x <= t
    case branchLEQ
    /// x < t
    case branchLT
    /// x >= t
    case branchGTE
    /// x > t
    case branchGT
    /// x == t
    case branchEQ
    /// x != t
    case branchNEQ
    /// x is one of a set of values (ai.onnx.ml opset 5 only).
    case branchMember
    case leaf

    /// Parses the string form of TreeEnsembleClassifier / TreeEnsembleRegressor `nodes_modes`.
    init?(name: String) {
        switch name {
        case "BRANCH_LEQ": self = .branchLEQ
        case "BRANCH_LT": self = .branchLT
        case "BRANCH_GTE": self = .branchGTE
        case "BRANCH_GT": self = .branchGT
        case "BRANCH_EQ": self = .branchEQ
        case "BRANCH_NEQ": self = .branchNEQ
        case "LEAF": self = .leaf
        default: return nil
        }
    }

    /// Parses the uint8 code of TreeEnsemble (opset 5) `nodes_modes`; those nodes are never leaves.
    init?(code: UInt8) {
        switch code {
        case 0: self = .branchLEQ
        case 1: self = .branchLT
        case 2: self = .branchGTE
        case 3: self = .branchGT
        case 4: self = .branchEQ
        case 5: self = .branchNEQ
        case 6: self = .branchMember
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .branchLEQ: "BRANCH_LEQ"
        case .branchLT: "BRANCH_LT"
        case .branchGTE: "BRANCH_GTE"
        case .branchGT: "BRANCH_GT"
        case .branchEQ: "BRANCH_EQ"
        case .branchNEQ: "BRANCH_NEQ"
        case .branchMember: "BRANCH_MEMBER"
        case .leaf: "LEAF"
        }
    }

    /// Whether the mode compares x with t by order, so the node can be rewritten as `x <= t'`
    /// with its children possibly swapped (the form the fast traversal runs).
    var isOrdering: Bool {
        switch self {
        case .branchLEQ, .branchLT, .branchGTE, .branchGT: true
        default: false
        }
    }
}
