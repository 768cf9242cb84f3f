extension Duration {
    /// The duration in seconds, for arithmetic with NumericDate claims.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
