import Citizens
import Federation
import HeadCA

extension ESIAProvider {
    /// The ESIA dialect over `provider`: issuer and timestamp window from the `federation` section, element URLs under
    /// `service.issuer`, portal certificates that are not pinned checked by the head CA trust store.
    static func make(configuration: Configuration, provider: OpenIDProvider, trustStore: TrustStore, citizens: CitizenService) -> ESIAProvider {
        var settings = ESIASettings()
        settings.baseURL = configuration.service.issuer
        settings.issuer = configuration.federation.esiaIssuer.isEmpty ? configuration.service.issuer + "/" : configuration.federation.esiaIssuer
        settings.timestampWindow = configuration.federation.esiaTimestampWindowSeconds
        return ESIAProvider(settings: settings, provider: provider, trust: trustStore,
                            personData: { try citizens.personData(publicID: $0) })
    }
}
