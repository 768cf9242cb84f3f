import Testing
import PredictAuth

/// Who may call what: server-wide invokers, per-model invokers, admins, and `*`.
@Suite struct AccessPolicyTests {
    static let policy = AccessPolicy(
        invokers: ["alice@example.com"],
        modelInvokers: ["iris": ["bob@example.com"], "open": ["*"]],
        admins: ["root@example.com"])

    @Test func serverWideInvokersCallEveryModelButNotAdministration() {
        #expect(Self.policy.denial(of: "alice@example.com", for: .model("iris")) == nil)
        #expect(Self.policy.denial(of: "alice@example.com", for: .model("forest")) == nil)
        #expect(Self.policy.denial(of: "alice@example.com", for: .server) == nil)
        #expect(Self.policy.denial(of: "alice@example.com", for: .administration) != nil)
    }

    @Test func perModelInvokersCallTheirModelOnly() {
        #expect(Self.policy.denial(of: "bob@example.com", for: .model("iris")) == nil)
        let denial = Self.policy.denial(of: "bob@example.com", for: .model("forest"))
        #expect(denial?.contains("bob@example.com") == true)
        #expect(denial?.contains("forest") == true)
        #expect(Self.policy.denial(of: "bob@example.com", for: .server) == nil)
    }

    @Test func adminsMayDoEverything() {
        for access in [AccessPolicy.Access.server, .model("forest"), .administration] {
            #expect(Self.policy.denial(of: "root@example.com", for: access) == nil)
        }
    }

    @Test func aStarAdmitsAnyValidPrincipalWhereItIsListed() {
        #expect(Self.policy.denial(of: "anyone@example.org", for: .model("open")) == nil)
        #expect(Self.policy.denial(of: "anyone@example.org", for: .model("iris")) != nil)
        let open = AccessPolicy(invokers: ["*"])
        #expect(open.denial(of: "anyone@example.org", for: .model("iris")) == nil)
        #expect(open.denial(of: "anyone@example.org", for: .administration) != nil)
    }

    @Test func matchingIsExact() {
        for near in ["Alice@example.com", "alice@example.com ", "alice@example.co", "alice"] {
            #expect(Self.policy.denial(of: near, for: .model("forest")) != nil, "\(near)")
        }
    }
}
