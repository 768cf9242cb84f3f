import Foundation
import Testing
import Yams
@testable import PredictServer

/// deploy/: the manifests keep the promises issue 7 asks of them, and the configuration file
/// they carry is one this server accepts.
struct DeployManifestTests {
    static let deploy = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy")

    static func document(_ file: String) throws -> [String: Any] {
        let text = try String(contentsOf: deploy.appendingPathComponent(file), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func configuration() throws -> ServerSettings {
        let data = try #require(try document("configmap.yaml")["data"] as? [String: String])
        return try ServerSettingsFile.parse(try #require(data["predict.yaml"]), file: "deploy/configmap.yaml")
    }

    @Test func theConfigMapsFileParsesAndValidates() throws {
        let settings = try Self.configuration()
        try settings.validate(dev: false)
        #expect(settings.metricsPort == 9090)
        #expect(settings.logFormat == .json)
        #expect(settings.allowUnauthenticatedProbes == true)
    }

    @Test func theDeploymentPinsCPUsDrainsInTimeAndProbesWithTheClient() throws {
        let deployment = try Self.document("deployment.yaml")
        let spec = try #require((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])
        let pod = try #require(spec["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let resources = try #require(container["resources"] as? [String: [String: Any]])
        let requests = try #require(resources["requests"]), limits = try #require(resources["limits"])
        // Guaranteed QoS with whole CPUs: what the static CPU manager needs to give a cpuset.
        #expect("\(requests["cpu"]!)" == "\(limits["cpu"]!)")
        #expect(Int("\(requests["cpu"]!)") != nil, "whole CPUs")
        #expect("\(requests["memory"]!)" == "\(limits["memory"]!)")

        let settings = try Self.configuration()
        let drain = Int((settings.drainTimeout ?? ServerSettings.defaultDrainTimeout).components.seconds)
        let grace = try #require(pod["terminationGracePeriodSeconds"] as? Int)
        let preStop = ((container["lifecycle"] as? [String: Any])?["preStop"] as? [String: Any])
            .flatMap { ($0["exec"] as? [String: Any])?["command"] as? [String] }
        let sleep = preStop.flatMap { $0.first == "sleep" ? Int($0[1]) : nil } ?? 0
        #expect(grace > drain + sleep, "grace \(grace) s must exceed preStop \(sleep) s + drain \(drain) s")

        for probe in ["readinessProbe", "livenessProbe"] {
            let command = try #require(((container[probe] as? [String: Any])?["exec"] as? [String: Any])?["command"] as? [String])
            #expect(command.first == "predict-client")
        }
        let command = try #require(container["command"] as? [String])
        #expect(command == ["predict-server", "--config", "/etc/predict/config/predict.yaml"])
    }
}
