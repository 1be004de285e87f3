import Storage

/// Every schema migration of the service, in order. Each domain module contributes its own list;
/// versions are allotted in blocks (Citizens 100–199, Activation 200–299, HeadCA 300–399, Federation 400–499)
/// so modules can add migrations without renumbering each other's.
enum Migrations {
    static let all: [Migration] = []
}
