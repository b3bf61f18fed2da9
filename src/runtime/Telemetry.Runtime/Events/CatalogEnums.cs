namespace Telemetry.Runtime;

/// <summary>Business tier of an event: A core, B secondary, C planned.</summary>
public enum EventTier
{
    /// <summary>Core funnel event.</summary>
    A,
    /// <summary>Secondary event.</summary>
    B,
    /// <summary>Future / planned event.</summary>
    C,
}

/// <summary>Lifecycle of an event.</summary>
public enum EventStatus
{
    /// <summary>In use.</summary>
    Active,
    /// <summary>Designed, not shipped ([Experimental]).</summary>
    Planned,
    /// <summary>Being retired ([Obsolete]).</summary>
    Deprecated,
}

/// <summary>Data sensitivity of an event.</summary>
public enum Sensitivity
{
    /// <summary>No special handling.</summary>
    None,
    /// <summary>Session data: never sampled.</summary>
    Session,
    /// <summary>Financial data: never sampled.</summary>
    Financial,
}

/// <summary>How often an event fires per user.</summary>
public enum EventFrequency
{
    /// <summary>About once a second or less.</summary>
    Normal,
    /// <summary>More than once a second.</summary>
    High,
}

/// <summary>Personal-data class of a property.</summary>
public enum PiiClass
{
    /// <summary>E-mail address.</summary>
    Email,
    /// <summary>Phone number.</summary>
    Phone,
    /// <summary>IP address.</summary>
    IpAddress,
    /// <summary>A person's name.</summary>
    PersonName,
    /// <summary>Postal address.</summary>
    PostalAddress,
    /// <summary>Free text typed by a user.</summary>
    FreeText,
    /// <summary>User identifier.</summary>
    UserId,
    /// <summary>Payment data.</summary>
    Payment,
    /// <summary>Other personal data.</summary>
    Other,
}

/// <summary>What leaves the process for a PII property.</summary>
public enum PiiTreatment
{
    /// <summary>Never sent.</summary>
    Drop,
    /// <summary>Replaced by a fixed marker.</summary>
    Redact,
    /// <summary>Keyed HMAC-SHA256.</summary>
    Hash,
    /// <summary>Only the length.</summary>
    Length,
    /// <summary>Sent raw (justified in the catalog).</summary>
    None,
}
