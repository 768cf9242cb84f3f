import Testing
@testable import PredictServing

/// config.yaml: every key, its default, and errors that name the file, the key and what is allowed.
@Suite struct ModelConfigurationTests {
    private static let file = "REPO/iris/config.yaml"

    private func parse(_ yaml: String) throws(ConfigurationError) -> ModelConfiguration {
        try ModelConfiguration.parse(yaml, file: Self.file)
    }

    private func parseError(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "{}", "---\n", "~"])
    func emptyFileMeansAllDefaults(yaml: String) throws {
        let configuration = try parse(yaml)
        #expect(configuration == ModelConfiguration())
        #expect(configuration.instances == 1)
        #expect(configuration.cpusPerInstance == 1)
        #expect(configuration.maxBatchSize == 64)
        #expect(configuration.maxQueueDelayMicroseconds == 0)
        #expect(configuration.maxQueue == 1024)
        #expect(configuration.timeoutMilliseconds == nil)
        #expect(configuration.versionPolicy == .latest(1))
    }

    @Test func everyKeyIsParsed() throws {
        let configuration = try parse("""
            # iris, two pinned workers
            instances: 2
            cpus_per_instance: 3
            max_batch_size: 0          # batching off
            max_queue_delay_us: 250
            max_queue: 10
            timeout_ms: 1500
            version_policy: all
            """)
        var expected = ModelConfiguration()
        expected.instances = 2
        expected.cpusPerInstance = 3
        expected.maxBatchSize = 0
        expected.maxQueueDelayMicroseconds = 250
        expected.maxQueue = 10
        expected.timeoutMilliseconds = 1500
        expected.versionPolicy = .all
        #expect(configuration == expected)
    }

    @Test func absentKeysKeepTheirDefaults() throws {
        let configuration = try parse("max_queue_delay_us: 100\n")
        var expected = ModelConfiguration()
        expected.maxQueueDelayMicroseconds = 100
        #expect(configuration == expected)
    }

    @Test(arguments: [
        ("version_policy: all", VersionPolicy.all),
        ("version_policy: {latest: 2}", .latest(2)),
        ("version_policy:\n  latest: 3\n", .latest(3)),
        ("version_policy: {specific: [1, 3]}", .specific([1, 3])),
        ("version_policy:\n  specific: [4]\n", .specific([4])),
        ("version_policy:\n  specific:\n    - 2\n    - 7\n", .specific([2, 7])),
    ])
    func versionPolicyFlowAndBlockForms(yaml: String, policy: VersionPolicy) throws {
        #expect(try parse(yaml).versionPolicy == policy)
    }

    @Test func errorDescriptionNamesFileKeyAndWhatIsAllowed() {
        let error = parseError("max_batch_size: lots\n")
        #expect(error == ConfigurationError(
            file: Self.file, key: "max_batch_size", message: "must be an integer ≥ 0 (0 disables batching); got \"lots\""))
        #expect(error?.description == "REPO/iris/config.yaml: 'max_batch_size' must be an integer ≥ 0 (0 disables batching); got \"lots\"")
    }

    @Test(arguments: [
        ("instances: 0", "instances", "must be an integer ≥ 1", "got 0"),
        ("instances: -2", "instances", "must be an integer ≥ 1", "got -2"),
        ("instances: true", "instances", "must be an integer ≥ 1", "got true"),
        ("instances: [1, 2]", "instances", "must be an integer ≥ 1", "got a list"),
        ("instances: {n: 1}", "instances", "must be an integer ≥ 1", "got a mapping"),
        ("instances:", "instances", "must be an integer ≥ 1", "got nothing"),
        ("cpus_per_instance: 0", "cpus_per_instance", "must be an integer ≥ 1", "got 0"),
        ("cpus_per_instance: 1.5", "cpus_per_instance", "must be an integer ≥ 1", "got 1.5"),
        ("max_batch_size: -1", "max_batch_size", "must be an integer ≥ 0 (0 disables batching)", "got -1"),
        ("max_batch_size: \"64\"", "max_batch_size", "must be an integer ≥ 0", "got \"64\" (a string: write numbers without quotes)"),
        ("max_batch_size: '64'", "max_batch_size", "must be an integer ≥ 0", "write numbers without quotes"),
        ("max_batch_size: 0x40", "max_batch_size", "must be an integer ≥ 0", "got 0x40"),
        ("max_batch_size: 064", "max_batch_size", "must be an integer ≥ 0", "got 064"),
        ("max_queue_delay_us: -5", "max_queue_delay_us", "must be an integer ≥ 0 (microseconds", "got -5"),
        ("max_queue_delay_us: 1e3", "max_queue_delay_us", "must be an integer ≥ 0", "1e3"),
        ("max_queue: 0", "max_queue", "must be an integer ≥ 1 (queued requests before RESOURCE_EXHAUSTED)", "got 0"),
        ("max_queue: 99999999999999999999999", "max_queue", "must be at most 2147483647", "got 99999999999999999999999"),
        ("timeout_ms: 0", "timeout_ms", "must be an integer ≥ 1 (milliseconds; leave the key out for no default deadline)", "got 0"),
        ("timeout_ms: ~", "timeout_ms", "must be an integer ≥ 1", "got ~"),
        ("timeout_ms: 3000000000", "timeout_ms", "must be at most 2147483647", "got 3000000000"),
        ("timeout_ms: 5s", "timeout_ms", "must be an integer ≥ 1", "got \"5s\""),
        ("version_policy: latest", "version_policy", "must be all, {latest: N} or {specific: [versions]}", "got \"latest\""),
        ("version_policy: 2", "version_policy", "must be all, {latest: N} or {specific: [versions]}", "got 2"),
        ("version_policy: {newest: 1}", "version_policy", "must be all, {latest: N} or {specific: [versions]}", "got a mapping"),
        ("version_policy: {latest: 1, specific: [1]}", "version_policy", "must be all", "got a mapping"),
        ("version_policy: {latest: 0}", "version_policy.latest", "must be an integer ≥ 1", "got 0"),
        ("version_policy: {latest: all}", "version_policy.latest", "must be an integer ≥ 1", "got \"all\""),
        ("version_policy: {specific: []}", "version_policy.specific", "must be a non-empty list of versions", "got a list"),
        ("version_policy: {specific: 3}", "version_policy.specific", "must be a non-empty list of versions", "got 3"),
        ("version_policy: {specific: [1, v2]}", "version_policy.specific", "must be an integer ≥ 1", "got \"v2\""),
        ("version_policy: {specific: [0]}", "version_policy.specific", "must be an integer ≥ 1", "got 0"),
        ("version_policy: {specific: [3, 1, 3]}", "version_policy.specific", "lists version 3", "more than once"),
    ])
    func badValueNamesFileKeyAndWhatIsAllowed(yaml: String, key: String, allowed: String, got: String) {
        // Another key first, so the bad value is not on the first line.
        let error = parseError((key == "instances" ? "max_queue: 8\n" : "instances: 1\n") + yaml + "\n")
        #expect(error?.file == Self.file)
        #expect(error?.key == key)
        #expect(error?.message.contains(allowed) == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains(got) == true, "\(error?.message ?? "no error")")
        #expect(error?.description.hasPrefix("\(Self.file): '\(key)' ") == true)
    }

    @Test(arguments: ["owners: [a]", "shadows: b", "batching: on"])
    func unknownKeyIsAnErrorListingTheKeys(yaml: String) {
        let error = parseError(yaml)
        #expect(error?.file == Self.file)
        #expect(error?.key == String(yaml.prefix { $0 != ":" }))
        #expect(error?.message.hasPrefix("is not a configuration key") == true)
        #expect(error?.message.contains(
            "the keys are instances, cpus_per_instance, max_batch_size, max_queue_delay_us, max_queue, timeout_ms, version_policy, invokers, traffic, tags, sticky, shadow") == true)
    }

    @Test(arguments: [
        ("instance: 2", "instances"),
        ("maxBatchSize: 8", "max_batch_size"),
        ("max_queue_delay: 5", "max_queue_delay_us"),
        ("timeout: 10", "timeout_ms"),
    ])
    func misspelledKeySuggestsTheKeyMeant(yaml: String, meant: String) {
        #expect(parseError(yaml)?.message.contains("did you mean '\(meant)'?") == true)
    }

    @Test func keyGivenTwiceIsAnError() {
        let error = parseError("instances: 1\nmax_queue: 4\ninstances: 2\n")
        #expect(error?.key == "instances")
        #expect(error?.message.contains("more than once") == true)
    }

    @Test func yamlSyntaxErrorNamesFileAndLine() {
        let error = parseError("instances: 2\nmax_batch_size: [1, 2\nmax_queue: 3\n")
        #expect(error?.file == Self.file)
        #expect(error?.key == nil)
        #expect(error?.description.hasPrefix("\(Self.file): line ") == true, "\(error?.description ?? "no error")")
        #expect(error?.message.contains("invalid YAML") == true)
    }

    @Test func badIndentationReportsItsLine() {
        let error = parseError("instances: 2\n  max_queue: 3\n")
        #expect(error?.message.hasPrefix("line 2, column") == true, "\(error?.description ?? "no error")")
    }

    @Test(arguments: ["- instances: 1\n", "just text\n", "42\n"])
    func documentThatIsNotAMappingIsAnError(yaml: String) {
        let error = parseError(yaml)
        #expect(error?.key == nil)
        #expect(error?.message.hasPrefix("must be a mapping of configuration keys (instances, ") == true)
    }

    @Test func policyDescriptionIsTheYAMLForm() {
        #expect(VersionPolicy.latest(2).description == "{latest: 2}")
        #expect(VersionPolicy.all.description == "all")
        #expect(VersionPolicy.specific([1, 3]).description == "{specific: [1, 3]}")
    }

    @Test func policySelectsAmongThePresentVersions() {
        let present = [3, 1, 10, 2]
        #expect(VersionPolicy.latest(1).select(from: present).selected == [10])
        #expect(VersionPolicy.latest(2).select(from: present).selected == [3, 10])
        #expect(VersionPolicy.latest(9).select(from: present).selected == [1, 2, 3, 10])
        #expect(VersionPolicy.all.select(from: present).selected == [1, 2, 3, 10])
        let specific = VersionPolicy.specific([10, 4, 1]).select(from: present)
        #expect(specific.selected == [1, 10])
        #expect(specific.missing == [4])
    }

    @Test func invokersAreAListOfDistinctPrincipals() throws {
        let configuration = try parse("invokers: [svc@proj.iam.gserviceaccount.com, \"*\", '12345']\n")
        #expect(configuration.invokers == ["svc@proj.iam.gserviceaccount.com", "*", "12345"])
        #expect(try parse("").invokers.isEmpty)
    }

    @Test(arguments: ["invokers: []", "invokers: a@b.c", "invokers: [123]", "invokers: [true]", "invokers: [a@b.c, a@b.c]", "invokers: ['']", "invokers: [[a]]"])
    func badInvokersNameTheKey(yaml: String) {
        let error = parseError(yaml)
        #expect(error?.description.contains("invokers") == true, "\(String(describing: error))")
    }
}
