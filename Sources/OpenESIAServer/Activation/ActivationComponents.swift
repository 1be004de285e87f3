import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// Activation codes, letters, staff accounts and service centres, built over the citizens' components.
final class ActivationComponents: Sendable {
    let activation: ActivationService
    let staff: StaffDirectory
    /// Staff sessions: their own policy (short idle timeout) over the shared sessions table; subjects are `staff:<id>`.
    let staffSessions: SessionStore
    let centres: CentreDirectory

    private init(activation: ActivationService, staff: StaffDirectory, staffSessions: SessionStore, centres: CentreDirectory) {
        self.activation = activation
        self.staff = staff
        self.staffSessions = staffSessions
        self.centres = centres
    }

    static func make(configuration: Configuration, citizens: CitizenComponents, clock: any WallClock, logger: Logger) throws
        -> ActivationComponents {
        let keys = configuration.keys.directory
        let tokenKey = try KeyDirectory.secret(.tokenHash, in: keys)
        let vault = PersonalDataVault(keys: try DataKeyRing.load(directory: keys), indexKey: try KeyDirectory.secret(.blindIndex, in: keys))
        let database = citizens.database
        var activationSettings = ActivationSettings()
        activationSettings.letterCodeLifetime = configuration.activation.letterCodeLifetimeDays * 86_400
        activationSettings.centreCodeLifetime = configuration.activation.centreCodeLifetimeDays * 86_400
        let activation = ActivationService(database: database, citizens: citizens.service, audit: citizens.audit,
                                           throttle: LoginThrottle(database: database, policy: ThrottlePolicy(), clock: clock),
                                           codeKey: tokenKey, clock: clock, settings: activationSettings, logger: logger)
        var policy = SessionPolicy.staff
        policy.idleTimeout = configuration.staff.sessionIdleTimeoutSeconds
        let staffSessions = SessionStore(database: database, hashKey: tokenKey.bytes, policy: policy, clock: clock)
        var staffSettings = StaffSettings()
        staffSettings.passwordParameters = ScryptParameters(logN: configuration.citizens.passwordCostLog2, r: 8, p: 1)
        let staff = StaffDirectory(database: database, vault: vault, audit: citizens.audit, sessions: staffSessions,
                                   throttle: LoginThrottle(database: database, policy: ThrottlePolicy(), clock: clock), hashKey: tokenKey,
                                   settings: staffSettings, clock: clock)
        return ActivationComponents(activation: activation, staff: staff, staffSessions: staffSessions,
                                    centres: CentreDirectory(database: database, audit: citizens.audit))
    }
}
