using System;
using System.Collections.Generic;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>
/// An exception chain rendered for the wire: bounded (exceptions, nesting depth, frames, characters) and scrubbed,
/// with its fingerprint. Inner exceptions and every exception of an <see cref="AggregateException"/> are kept,
/// depth-first, up to <see cref="ErrorTrackingOptions.MaxExceptions"/> and <see cref="ErrorTrackingOptions.MaxDepth"/>.
/// </summary>
internal sealed class ExceptionReport
{
    /// <summary>Most characters of the rendered chain (the wire schema's bound of <c>stack_trace</c>).</summary>
    public const int MaxStackTraceChars = 16_384;

    /// <summary>Most characters of one exception message.</summary>
    public const int MaxMessageChars = 1_024;

    /// <summary>Most characters of a type name.</summary>
    public const int MaxTypeChars = 256;

    private ExceptionReport(string errorType, string message, List<string> types, string stackTrace, string fingerprint)
    {
        ErrorType = errorType;
        Message = message;
        ExceptionTypes = types;
        StackTrace = stackTrace;
        Fingerprint = fingerprint;
    }

    public string ErrorType { get; }

    public string Message { get; }

    public IReadOnlyList<string> ExceptionTypes { get; }

    public string StackTrace { get; }

    public string Fingerprint { get; }

    public static ExceptionReport Create(Exception exception, ErrorTrackingOptions options, string? fingerprintOverride)
    {
        var types = new List<string>();
        var text = new StringBuilder();
        var omitted = Render(exception, 0, options, types, text);
        if (omitted > 0) text.Append("   --- ").Append(omitted).Append(" more inner exception(s) not shown ---").Append('\n');
        var stack = ErrorScrubbingRules.Truncate(ErrorScrubbingRules.Scrub(text.ToString().TrimEnd('\n')), MaxStackTraceChars);
        var fingerprint = fingerprintOverride is { Length: > 0 }
            ? ErrorScrubbingRules.Truncate(fingerprintOverride, 64)
            : ComputeFingerprint(exception, options);
        return new ExceptionReport(
            ErrorScrubbingRules.Truncate(TypeName(exception), MaxTypeChars),
            ErrorScrubbingRules.ScrubAndTruncate(MessageOf(exception), MaxMessageChars),
            types,
            stack,
            fingerprint);
    }

    /// <summary>
    /// The fingerprint: SHA-256 (first 16 hex digits) of the primary exception's type and its top
    /// <see cref="ErrorTrackingOptions.FingerprintFrames"/> app frames, normalised by <see cref="StackFrameNormalizer"/>.
    /// Wrappers (<see cref="AggregateException"/> with one inner exception, <see cref="TargetInvocationException"/>) are
    /// looked through. An exception never thrown (no frames) falls back to its message with digits removed.
    /// </summary>
    public static string ComputeFingerprint(Exception exception, ErrorTrackingOptions options)
    {
        var primary = Primary(exception);
        var frames = StackFrameNormalizer.Frames(SafeStackTrace(primary), options.MaxFramesPerException);
        var app = new List<string>();
        foreach (var f in frames)
        {
            if (app.Count >= options.FingerprintFrames) break;
            if (!IsFramework(f, options.FrameworkNamespaces)) app.Add(f);
        }

        if (app.Count == 0)
        {
            for (var i = 0; i < frames.Count && i < options.FingerprintFrames; i++) app.Add(frames[i]);
        }

        var key = new StringBuilder(TypeName(primary));
        if (app.Count == 0)
        {
            // Nothing thrown: group by the message's shape (numbers vary between occurrences).
            key.Append('\n');
            foreach (var c in MessageOf(primary)) key.Append(char.IsAsciiDigit(c) ? '#' : c);
        }

        foreach (var f in app) key.Append('\n').Append(f);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()));
        return Convert.ToHexString(hash, 0, 8).ToLowerInvariant();
    }

    private static bool IsFramework(string frame, IList<string> prefixes)
    {
        foreach (var p in prefixes)
        {
            if (frame.StartsWith(p, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    private static Exception Primary(Exception exception)
    {
        var current = exception;
        for (var i = 0; i < 8; i++)
        {
            switch (current)
            {
                case AggregateException { InnerExceptions.Count: 1 } a:
                    current = a.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    current = inner;
                    continue;
            }

            break;
        }

        return current;
    }

    /// <summary>Renders <paramref name="exception"/> and its inner exceptions; returns how many were left out by the bounds.</summary>
    private static int Render(Exception exception, int depth, ErrorTrackingOptions options, List<string> types, StringBuilder text)
    {
        if (types.Count >= options.MaxExceptions || depth >= options.MaxDepth) return 1 + CountInner(exception, 64);
        var type = TypeName(exception);
        types.Add(ErrorScrubbingRules.Truncate(type, MaxTypeChars));
        if (depth > 0) text.Append(' ', 1).Append(new string('-', 3)).Append("> ");
        text.Append(type).Append(": ").Append(ErrorScrubbingRules.Truncate(OneLine(MessageOf(exception)), MaxMessageChars)).Append('\n');
        var frames = 0;
        var stack = SafeStackTrace(exception);
        if (!string.IsNullOrEmpty(stack))
        {
            foreach (var line in stack.AsSpan().EnumerateLines())
            {
                if (line.IsWhiteSpace()) continue;
                if (frames++ >= options.MaxFramesPerException)
                {
                    text.Append("   … more frames not shown\n");
                    break;
                }

                text.Append("   ").Append(line.Trim()).Append('\n');
            }
        }

        var omitted = 0;
        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions) omitted += Render(inner, depth + 1, options, types, text);
        }
        else if (exception.InnerException is { } inner)
        {
            omitted += Render(inner, depth + 1, options, types, text);
        }

        return omitted;
    }

    private static int CountInner(Exception exception, int budget)
    {
        // Bounded walk (a hostile chain may be huge or cyclic through custom InnerException overrides).
        var count = 0;
        var stack = new Stack<Exception>();
        stack.Push(exception);
        var first = true;
        while (stack.Count > 0 && budget-- > 0)
        {
            var e = stack.Pop();
            if (!first) count++;
            first = false;
            if (e is AggregateException a)
            {
                foreach (var i in a.InnerExceptions) stack.Push(i);
            }
            else if (e.InnerException is { } inner)
            {
                stack.Push(inner);
            }
        }

        return count;
    }

    internal static string TypeName(Exception exception)
    {
        var name = exception.GetType().FullName ?? exception.GetType().Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name.Substring(0, tick);
        var bracket = name.IndexOf('[');
        return bracket >= 0 ? name.Substring(0, bracket) : name;
    }

    private static string MessageOf(Exception exception)
    {
        try
        {
            return exception.Message ?? string.Empty;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "(the exception's Message threw " + ex.GetType().Name + ")";
        }
    }

    private static string? SafeStackTrace(Exception exception)
    {
        try
        {
            return exception.StackTrace;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
