import HTTPServer

/// Every route of the staff console under /staff; `Application` adds them with one call.
struct StaffRoutes {
    let citizens: CitizenComponents
    let activation: ActivationComponents
    let signatures: SignatureLogin

    /// Adds login and logout, the identity check and team management.
    func add(to router: inout Router) {
        StaffLoginRoutes(staff: activation.staff, citizens: citizens.service, signatures: signatures).add(to: &router)
        StaffCheckRoutes(staff: activation.staff, citizens: citizens.service, activation: activation.activation,
                         centres: activation.centres, audit: citizens.audit, database: citizens.database).add(to: &router)
        StaffTeamRoutes(staff: activation.staff).add(to: &router)
    }
}
