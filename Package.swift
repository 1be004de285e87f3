// swift-tools-version:6.0
import PackageDescription

/// One settings list for every Swift target, so the whole package builds the same way.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The system libraries, through their headers; nothing is fetched.
let cTargets: [Target] = [
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                   providers: [.apt(["libssl-dev", "libengine-gost-openssl"])]),
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CLinuxSys"),
]

func library(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: swiftSettings)
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies + ["TestSupport"], swiftSettings: swiftSettings)
}

let package = Package(
    name: "OpenESIA",
    products: [
        .executable(name: "openesia", targets: ["openesia"]),
    ],
    targets: cTargets + [
        library("Support", ["CLinuxSys"]),
        library("HTTPServer", ["Support", "CLinuxSys", "COpenSSL"]),
        library("Crypto", ["Support", "COpenSSL"]),
        library("PKI", ["Support", "Crypto", "COpenSSL"]),
        library("Storage", ["Support", "CSQLite"]),
        library("Audit", ["Support", "Crypto", "Storage"]),
        library("Citizens", ["Support", "Crypto", "Storage", "Audit"]),
        library("Activation", ["Support", "Crypto", "Storage", "Audit", "Citizens"]),
        library("HeadCA", ["Support", "Crypto", "PKI", "Storage", "Audit"]),
        library("Federation", ["Support", "Crypto", "PKI", "Storage", "Audit", "Citizens", "HeadCA"]),
        library("WebPages", ["Support"]),
        library("OpenESIAServer", [
            "Support", "HTTPServer", "Crypto", "PKI", "Storage", "Audit",
            "Citizens", "Activation", "HeadCA", "Federation", "WebPages",
        ]),
        .executableTarget(name: "openesia", dependencies: ["OpenESIAServer", "Support", "Storage", "Crypto", "PKI", "Citizens", "Activation", "HeadCA"],
                          swiftSettings: swiftSettings),
        library("TestSupport", ["Support", "HTTPServer", "OpenESIAServer", "Storage"]),
        // OpenID Connect load generator; `make bench` runs it through .ci/bench-oidc.sh.
        .executableTarget(name: "oidc-load", dependencies: ["HTTPServer", "Support", "Crypto", "CLinuxSys"], swiftSettings: swiftSettings),
        // libFuzzer target for the HTTP parser; `make fuzz` builds it with -sanitize=fuzzer.
        .executableTarget(name: "HTTPParserFuzz", dependencies: ["HTTPServer"], swiftSettings: swiftSettings),
        // libFuzzer target for uploaded CMS signatures, certificates and CRLs; `make fuzz` runs it after the HTTP one.
        .executableTarget(name: "PKIInputFuzz", dependencies: ["PKI", "Crypto"], swiftSettings: swiftSettings),

        tests("SupportTests", ["Support"]),
        tests("HTTPServerTests", ["HTTPServer", "Support", "PKI", "COpenSSL"]),
        tests("StorageTests", ["Storage", "Support"]),
        tests("AuditTests", ["Audit", "Storage", "Crypto", "Support"]),
        tests("CryptoTests", ["Crypto", "PKI", "Support", "COpenSSL"]),
        tests("OpenESIAServerTests", ["OpenESIAServer", "HTTPServer", "Support", "Storage"]),
        tests("OpenESIAToolTests", ["openesia", "OpenESIAServer", "Support"]),
        tests("WebPagesTests", ["WebPages"]),
        tests("CitizensTests", ["Citizens", "Support", "Storage", "Crypto", "Audit"]),
        tests("ActivationTests", ["Activation", "Citizens", "Support", "Storage", "Crypto", "Audit"]),
        tests("HeadCATests", ["HeadCA", "PKI", "Support", "Storage", "Crypto", "Audit"]),
        tests("FederationTests", ["Federation", "Crypto", "PKI", "Storage", "Audit", "Citizens", "Support", "HeadCA"]),
        tests("EndToEndTests", ["OpenESIAServer", "HTTPServer", "Support", "Storage", "COpenSSL", "Activation", "Citizens", "Crypto", "Audit",
                                "PKI", "HeadCA", "Federation"]),
    ]
)
