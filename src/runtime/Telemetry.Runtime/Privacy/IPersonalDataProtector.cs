namespace Telemetry.Runtime;

/// <summary>Keyed hashing of personal data for the catalog's <c>hash</c> treatment.</summary>
public interface IPersonalDataProtector
{
    /// <summary>A keyed HMAC-SHA256 of <paramref name="value"/>, lowercase hex; null stays null.</summary>
    string? Hash(string? value);
}
