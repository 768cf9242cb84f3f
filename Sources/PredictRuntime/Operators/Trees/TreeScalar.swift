/// The two types trees are evaluated in: float32 (float32 and integer inputs) and float64.
protocol TreeScalar: BinaryFloatingPoint, Sendable {
    /// x converted to int32 the way x86 `cvtt` instructions do: truncation toward zero, and
    /// Int32.min for NaN and values out of range (onnxruntime's big membership sets rely on it).
    var truncatedInt32: Int32 { get }

    /// A value whose first four bytes (little-endian) hold `index`: lets a leaf node carry an
    /// index in its threshold field, read back with a 32-bit load.
    static func carrying(_ index: Int32) -> Self
}

extension Float: TreeScalar {
    static func carrying(_ index: Int32) -> Float { Float(bitPattern: UInt32(bitPattern: index)) }

    var truncatedInt32: Int32 {
        // -2^31 itself converts to Int32.min either way.
        guard self > -2_147_483_648, self < 2_147_483_648 else { return .min }
        return Int32(rounding: self)
    }
}

extension Double: TreeScalar {
    static func carrying(_ index: Int32) -> Double { Double(bitPattern: UInt64(UInt32(bitPattern: index))) }

    var truncatedInt32: Int32 {
        guard self > -2_147_483_649, self < 2_147_483_648 else { return .min }
        return Int32(rounding: self)
    }
}

private extension Int32 {
    init<F: BinaryFloatingPoint>(rounding value: F) {
        self.init(value.rounded(.towardZero))
    }
}
