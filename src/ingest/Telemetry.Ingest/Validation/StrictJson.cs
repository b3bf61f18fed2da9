using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Strict JSON: a duplicate key in any object, at any level, makes the whole body unreadable. Parsers disagree on
/// which duplicate wins (System.Text.Json keeps the last, others the first), so accepting one would let a proxy, a WAF or
/// the provider we forward to see a different event than we validated. Names are compared after unescaping
/// (<c>"a"</c> and <c>"\u0061"</c> are the same key); a name that is not valid Unicode is compared by its escaped text.
/// </summary>
internal static class StrictJson
{
    /// <summary>
    /// Returns the JSON path of the first duplicate key in <paramref name="utf8"/> (already known to be well-formed JSON),
    /// e.g. <c>$.events[3].user_bucket</c>, or null when every object's keys are distinct.
    /// </summary>
    public static string? FindDuplicateKey(ReadOnlyMemory<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var stack = new List<Frame>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    stack.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, ChildPath(stack)));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.RemoveAt(stack.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    var frame = stack[^1];
                    var name = Name(ref reader);
                    frame.PendingName = name;
                    frame.Names ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!frame.Names.Add(name)) return JsonPath.Property(frame.Path, name);
                    break;
                default:
                    // A scalar value: its path is never needed, but it takes an index in an array.
                    if (stack.Count > 0 && stack[^1].IsArray) stack[^1].Index++;
                    break;
            }
        }

        return null;
    }

    private static string ChildPath(List<Frame> stack)
    {
        if (stack.Count == 0) return "$";
        var parent = stack[^1];
        if (parent.IsArray) return JsonPath.Index(parent.Path, ++parent.Index);
        return JsonPath.Property(parent.Path, parent.PendingName ?? string.Empty);
    }

    private static string Name(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return Encoding.UTF8.GetString(reader.ValueSpan);
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape: compare by the escaped text (distinct from every decodable name by the prefix).
            return "\uFFFF" + Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private sealed class Frame
    {
        public Frame(bool isArray, string path)
        {
            IsArray = isArray;
            Path = path;
        }

        public bool IsArray { get; }

        public string Path { get; }

        public int Index { get; set; } = -1;

        public string? PendingName { get; set; }

        public HashSet<string>? Names { get; set; }
    }
}
