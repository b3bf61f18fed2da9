namespace Telemetry.Runtime;

/// <summary>One event already written in a provider's format, with the identities it was sent under.</summary>
/// <param name="Source">The event it was made from.</param>
/// <param name="Json">The provider's JSON for this one event.</param>
/// <param name="UserId">The user id sent, if any.</param>
/// <param name="DeviceId">The device/anonymous id sent, if any.</param>
internal readonly record struct PreparedEvent(OutgoingEvent Source, byte[] Json, string? UserId, string? DeviceId);
