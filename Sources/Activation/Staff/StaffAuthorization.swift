/// Who may do what to whom: pure functions over roles and centres, so pages, the admin API and the
/// directory's own actions give the same answers. A disabled actor may do nothing.
public enum StaffAuthorization {
    /// Whether `actor` may disable, reset or otherwise manage `target`: a service admin anyone; a centre admin
    /// only operators of their own centre (not other admins, not other centres); an operator nobody.
    public static func canManage(actor: StaffMember, target: StaffMember) -> Bool {
        guard actor.isActive else { return false }
        switch actor.role {
        case .serviceAdmin: return true
        case .centreAdmin: return target.role == .operator && target.centreID != nil && target.centreID == actor.centreID
        case .operator: return false
        }
    }

    /// Whether `actor` may create an account of `role` at `centreID`: a service admin any; a centre admin
    /// operators of their own centre; an operator none.
    public static func canCreate(actor: StaffMember, role: StaffRole, centreID: String?) -> Bool {
        guard actor.isActive else { return false }
        switch actor.role {
        case .serviceAdmin: return true
        case .centreAdmin: return role == .operator && centreID != nil && centreID == actor.centreID
        case .operator: return false
        }
    }

    /// Whether `actor` may work at (serve citizens for, view the records of) the centre `centreID`: a service
    /// admin at every centre, anyone else only at their own.
    public static func canActOnCentre(actor: StaffMember, centreID: String) -> Bool {
        guard actor.isActive else { return false }
        return actor.role == .serviceAdmin || actor.centreID == centreID
    }

    /// Whether `actor` may run the service: portals, the centre directory, accredited CAs, any staff.
    public static func canAdministerService(actor: StaffMember) -> Bool {
        actor.isActive && actor.role == .serviceAdmin
    }
}
