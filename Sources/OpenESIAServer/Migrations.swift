import Activation
import Federation
import HeadCA
import Storage

/// Every schema migration of the service, in order. Each domain module contributes its own list;
/// versions are allotted in blocks (Audit 10–19, Citizens 100–199, Activation 200–299, HeadCA 300–399, Federation 400–499)
/// so modules can add migrations without renumbering each other's.
enum Migrations {
    static var all: [Migration] {
        CitizenComponents.migrations + ActivationMigrations.all + StaffDirectory.migrations + CentreDirectory.migrations
            + HeadCAComponents.migrations
            + SignatureChallenges.migrations
            + PortalMigrations.all + SigningKeyStore.migrations + OpenIDProvider.migrations + ESIAProvider.migrations
            + LogoutDeliveryWorker.migrations
    }
}
