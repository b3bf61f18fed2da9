namespace Telemetry.Runtime;

/// <summary>
/// The per-install key of a host without a telemetry folder (a browser keeps it in localStorage): registered by the
/// host's storage package, it replaces the folder's <see cref="PersonalDataKey"/> so the subject hashes of the offline
/// queue and the consent store, and the default <c>hash</c> treatment, stay the same across page loads.
/// </summary>
internal sealed class InstallKeySource(IPersonalDataProtector key)
{
    public IPersonalDataProtector Key { get; } = key;
}

/// <summary>A consent store that can answer for a keyed subject hash (what the offline queue stores) without the subject.</summary>
internal interface IKeyedConsentStore
{
    /// <summary>The choice stored under the keyed hash <paramref name="keyedSubject"/>.</summary>
    ConsentState GetByKey(string keyedSubject);
}
