using System;

namespace Telemetry.Runtime;

/// <summary>
/// Who is tracking right now: ids, sampling bucket, session and consent. Immutable and swapped
/// whole (login, logout, consent change), so Track reads it with one volatile load and every
/// captured event keeps the identity it was tracked under.
/// </summary>
internal sealed class ClientIdentity
{
    private readonly IPersonalDataProtector _localKey;

    public ClientIdentity(string? userId, string anonymousId, Guid sessionId, bool consentGranted, IPersonalDataProtector localKey)
    {
        UserId = string.IsNullOrEmpty(userId) ? null : userId;
        AnonymousId = anonymousId;
        Subject = UserId ?? anonymousId;
        _localKey = localKey;
        SubjectKey = localKey.Hash(Subject)!;
        Bucket = Fnv1a32.Bucket(Subject);
        SessionId = sessionId;
        ConsentGranted = consentGranted;

        // Ids go out as given unless they hold personal data (an e-mail as user id), which the scrubber replaces.
        WireUserId = UserId is null ? null : PersonalDataScrubber.Default.Scrub(UserId);
        WireAnonymousId = PersonalDataScrubber.Default.Scrub(anonymousId);
    }

    public string? UserId { get; }

    public string AnonymousId { get; }

    /// <summary>The id consent and sampling are keyed by: the user id, else the anonymous id.</summary>
    public string Subject { get; }

    /// <summary>
    /// Keyed HMAC of <see cref="Subject"/> with the per-install key: what the offline queue and the consent
    /// file store instead of the id (enough to purge, nothing to read back).
    /// </summary>
    public string SubjectKey { get; }

    /// <summary>FNV-1a 32 bucket of <see cref="Subject"/>, 0..9999.</summary>
    public int Bucket { get; }

    public Guid SessionId { get; }

    public bool ConsentGranted { get; }

    public string? WireUserId { get; }

    public string WireAnonymousId { get; }

    public ClientIdentity WithConsent(bool granted) => granted == ConsentGranted ? this : new ClientIdentity(UserId, AnonymousId, SessionId, granted, _localKey);
}
