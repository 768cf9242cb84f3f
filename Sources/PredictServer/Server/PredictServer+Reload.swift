import Dispatch
import NIOSSL
import PredictServing

extension PredictServer {
    /// What a reload did: the certificate's fate and the repository's changes.
    public struct ReloadOutcome: Sendable {
        /// nil when the certificate and key were re-read (or there is no TLS); else why the
        /// old pair stays in use.
        public var certificateError: String?
        /// nil when the repository could not be read at all (`repositoryError` says why).
        public var repository: ReloadReport?
        public var repositoryError: String?
    }

    /// Re-reads the TLS certificate chain and key (SIGHUP, or a change seen by the watcher).
    /// New handshakes use the new pair; open connections keep theirs. A pair that cannot be
    /// used leaves the old one in place and throws why.
    public func reloadCertificate() throws(ServerStartupError) {
        guard case .tls = configuration.transport else { return }
        let context = try configuration.transport.makeSSLContext()
        tlsContext.withLockedValue { $0 = context }
    }

    /// Re-reads the certificate and the model repository, each on its own: a bad certificate
    /// does not stop a model reload or the other way round. Logs what changed.
    public func reload() async -> ReloadOutcome {
        var outcome = ReloadOutcome()
        do {
            try reloadCertificate()
            if case .tls(let certificate, _) = configuration.transport {
                logger.info("TLS certificate reloaded", metadata: ["certificate": "\(certificate)"])
            }
        } catch {
            outcome.certificateError = error.message
            logger.error("TLS certificate not reloaded; the previous one stays in use", metadata: ["reason": "\(error.message)"])
        }
        let service = self.service
        let result: Result<ReloadReport, ServingError> = await withCheckedContinuation { continuation in
            // Loading models and joining retired workers block: not on the cooperative pool.
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(ServingError) in try service.reload() })
            }
        }
        switch result {
        case .success(let report):
            outcome.repository = report
            accessPolicy?.update(repositoryInvokers: service.invokersByModel)
            for version in report.loaded { logger.info("model version loaded", metadata: ["version": "\(version)"]) }
            for version in report.unloaded { logger.info("model version unloaded", metadata: ["version": "\(version)"]) }
            for failure in report.failed { logger.error("model version failed to load", metadata: ["reason": "\(failure)"]) }
            if !report.changedAnything && report.failed.isEmpty { logger.info("model repository unchanged") }
        case .failure(let error):
            outcome.repositoryError = error.message
            logger.error("model repository not reloaded; what was serving goes on", metadata: ["reason": "\(error.message)"])
        }
        return outcome
    }
}
