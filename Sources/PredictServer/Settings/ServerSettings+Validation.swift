/// Why settings cannot start a server: one sentence naming the key and its flag.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ServerSettings {
    /// The rules no single key can check: pairs that go together, choices that exclude each
    /// other, what production needs. `dev` (`--dev`) supplies a certificate, keys and models.
    public func validate(dev: Bool) throws(SettingsError) {
        let insecure = self.insecure ?? false
        if insecure && (tlsCertificate != nil || tlsKey != nil) {
            throw SettingsError("listen.insecure (--insecure) serves plaintext; drop tls.certificate and tls.key (--tls-cert, --tls-key), or drop insecure")
        }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw SettingsError("tls.certificate (--tls-cert) and tls.key (--tls-key) go together")
        }
        if !dev && !insecure && tlsCertificate == nil {
            throw SettingsError("TLS needs tls.certificate and tls.key (--tls-cert, --tls-key), or --dev for a local development certificate, or listen.insecure (--insecure) for plaintext on loopback")
        }
        if !dev && models == nil {
            throw SettingsError("repository.path (--models DIR) is required: a folder of MODEL/VERSION/model.onnx (or use --dev)")
        }
        if let metricsPort, metricsPort != 0, metricsPort == (port ?? Self.defaultPort) {
            throw SettingsError("metrics.port (--metrics-port) \(metricsPort) is the serving port; give metrics a port of its own")
        }
        try validateAuthentication(dev: dev)
    }

    private func validateAuthentication(dev: Bool) throws(SettingsError) {
        let google = self.google ?? false
        if allowUnauthenticated ?? false {
            let given = jwksFile != nil || jwksURL != nil || google || !(issuers ?? []).isEmpty || !(audiences ?? []).isEmpty
                || !(invokers ?? []).isEmpty || !(admins ?? []).isEmpty
            if given {
                throw SettingsError("authentication.allow_unauthenticated (--allow-unauthenticated) turns token checks off; drop the key, issuer, audience and principal settings, or drop it")
            }
            return
        }
        if let jwksURL, !jwksURL.hasPrefix("https://") {
            throw SettingsError("authentication.jwks_url (--jwks-url) must be an https:// URL; got '\(jwksURL)'")
        }
        if dev { return }
        if jwksFile == nil && jwksURL == nil && !google {
            throw SettingsError("authentication needs keys: authentication.jwks_file, jwks_url or google (--jwks-file, --jwks-url, --google), or allow_unauthenticated (--allow-unauthenticated) to serve without tokens")
        }
        if (issuers ?? []).isEmpty && !google {
            throw SettingsError("authentication needs at least one issuer: authentication.issuers (--issuer), or google (--google)")
        }
        if (audiences ?? []).isEmpty {
            throw SettingsError("authentication needs at least one audience: authentication.audiences (--audience), e.g. this service's URL")
        }
    }
}
