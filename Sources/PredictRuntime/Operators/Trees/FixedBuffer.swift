/// An immutable buffer with a stable address, so inner loops read it through a plain pointer
/// without `withUnsafeBufferPointer` closures. Freed with its owner.
final class FixedBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(_ elements: [Element]) {
        count = elements.count
        pointer = .allocate(capacity: Swift.max(count, 1))
        elements.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.initialize(from: base, count: count) }
        }
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    @inline(__always)
    subscript(_ index: Int) -> Element { pointer[index] }
}
