using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Telemetry.Catalog.Text;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// Recognises the names of methods and events that run many times a second: pointer and mouse moves, scrolling,
/// the mouse wheel, dragging, resizing, layout passes and per-frame callbacks. Names are split into words
/// (<c>Canvas_PointerMoved</c> -> canvas, pointer, moved) and matched on whole words, so <c>RemoveItem</c> or
/// <c>UpdateSettings(Settings s)</c> do not match.
/// </summary>
internal static class HighFrequencyNames
{
    private static readonly HashSet<string> Pointers = new(StringComparer.Ordinal) { "pointer", "mouse", "touch", "stylus", "cursor", "crosshair", "pen", "hover" };
    private static readonly HashSet<string> Moves = new(StringComparer.Ordinal) { "move", "moved", "moving", "motion" };
    private static readonly HashSet<string> Scrolls = new(StringComparer.Ordinal) { "scroll", "scrolled", "scrolling" };
    private static readonly HashSet<string> NotScrollEvents = new(StringComparer.Ordinal) { "to", "into", "start", "started", "begin", "end", "ended", "completed", "stopped", "bar" };
    private static readonly HashSet<string> Drags = new(StringComparer.Ordinal) { "drag", "dragging" };
    private static readonly HashSet<string> DragContinuations = new(StringComparer.Ordinal) { "over", "delta", "move", "moved", "moving", "update", "updated" };
    private static readonly HashSet<string> Resizes = new(StringComparer.Ordinal) { "resize", "resized", "resizing" };

    // Whole names (after an optional "On" and any "sender_" prefix) of per-frame callbacks.
    private static readonly HashSet<string> FrameCallbacks = new(StringComparer.OrdinalIgnoreCase)
    {
        "Render", "Rendering", "Draw", "Frame", "EnterFrame", "AnimationFrame", "FrameUpdate", "NewFrame", "FrameArrived", "Paint",
    };

    private const string FrameCallback = "a per-frame callback";

    // Game-loop callbacks: only with no parameter or one time-like parameter (Unity, MonoGame), since
    // "Update" alone is also an ordinary verb.
    private static readonly HashSet<string> GameLoopCallbacks = new(StringComparer.OrdinalIgnoreCase) { "Update", "FixedUpdate", "LateUpdate" };

    /// <summary>What kind of high-frequency handler a method is by its name and signature, or null.</summary>
    public static string? DescribeMethod(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.ExplicitInterfaceImplementation)) return null;
        var name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.Name.LastIndexOf('.') is var dot and >= 0
            ? method.Name.Substring(dot + 1)
            : method.Name;
        if (GameLoopCallbacks.Contains(StripOn(AfterUnderscore(name))))
        {
            return method.Parameters.Length == 0 || (method.Parameters.Length == 1 && IsTimeLike(method.Parameters[0].Type)) ? "a per-frame update" : null;
        }

        var description = Describe(name);
        if (description is null) return null;

        // "ResizeImage()" or "ScrollToRow(int)" are actions, not handlers: apart from per-frame callbacks, a method
        // counts only when it looks like an event handler.
        return description == FrameCallback || LooksLikeHandler(method, name) ? description : null;
    }

    /// <summary>What kind of high-frequency event a name denotes (an event's or a handler method's), or null.</summary>
    public static string? Describe(string name)
    {
        if (GameLoopCallbacks.Contains(StripOn(AfterUnderscore(name)))) return "a per-frame update";
        if (FrameCallbacks.Contains(StripOn(AfterUnderscore(name)))) return FrameCallback;
        var words = IdentifierWords.Split(name);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if (Pointers.Contains(word) && next is not null && Moves.Contains(next)) return "a pointer-move handler";
            if (word == "manipulation" && next == "delta") return "a manipulation (pan/pinch) handler";
            if (Scrolls.Contains(word) && (next is null || !NotScrollEvents.Contains(next))) return "a scroll handler";
            if (word == "wheel") return "a mouse-wheel handler";
            if (Drags.Contains(word) && (next is null || DragContinuations.Contains(next))) return "a drag handler";
            if (Resizes.Contains(word) || (word == "size" && next == "changed")) return "a resize handler";
            if (word == "layout" && next == "updated") return "a layout handler";
        }

        return null;
    }

    private static bool LooksLikeHandler(IMethodSymbol method, string name)
    {
        if (method.IsOverride || name.IndexOf('_') >= 0 || (name.Length > 2 && name.StartsWith("On", StringComparison.Ordinal) && char.IsUpper(name[2]))) return true;
        foreach (var parameter in method.Parameters)
        {
            var type = parameter.Type.Name;
            if (type.EndsWith("EventArgs", StringComparison.Ordinal) || type.EndsWith("Args", StringComparison.Ordinal) || type.EndsWith("EventData", StringComparison.Ordinal)) return true;
        }

        return false;
    }

    private static string AfterUnderscore(string name)
    {
        var i = name.LastIndexOf('_');
        return i >= 0 && i + 1 < name.Length ? name.Substring(i + 1) : name;
    }

    private static string StripOn(string name) =>
        name.Length > 2 && name.StartsWith("On", StringComparison.Ordinal) && char.IsUpper(name[2]) ? name.Substring(2) : name;

    private static bool IsTimeLike(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Single or SpecialType.System_Double ||
        type.Name.IndexOf("Time", StringComparison.Ordinal) >= 0 ||
        type.Name.IndexOf("Frame", StringComparison.Ordinal) >= 0;
}
