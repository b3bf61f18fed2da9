using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// What this device holds about the current user (<see cref="TelemetryPipeline.ExportMyDataAsync"/>): the ids
/// events are sent with, the recorded consent, and every event still queued locally, exactly as it will be
/// sent (already scrubbed).
/// </summary>
/// <param name="UserId">The signed-in user's id, or null.</param>
/// <param name="AnonymousId">The anonymous/device id.</param>
/// <param name="Consent">The user's effective consent.</param>
/// <param name="QueuedEvents">The JSON of each queued event of this user, oldest first.</param>
public sealed record LocalDataExport(string? UserId, string AnonymousId, ConsentState Consent, IReadOnlyList<string> QueuedEvents)
{
    /// <summary>The export as one JSON document: <c>{"user_id":…,"anonymous_id":…,"consent":…,"queued_events":[…]}</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (UserId is null) writer.WriteNull("user_id");
            else writer.WriteString("user_id", UserId);
            writer.WriteString("anonymous_id", AnonymousId);
            writer.WriteString("consent", Consent == ConsentState.Granted ? "granted" : "denied");
            writer.WriteStartArray("queued_events");
            foreach (var e in QueuedEvents) writer.WriteRawValue(e);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
