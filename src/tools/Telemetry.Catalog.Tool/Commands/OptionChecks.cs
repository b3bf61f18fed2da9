using System;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>Range checks for numeric options, reported as parse errors (exit 2).</summary>
internal static class OptionChecks
{
    public static void AtLeastZero<T>(this Option<T> option)
        where T : IComparable<T>
    {
        option.Validators.Add(r => Check<T>(r, v => v.CompareTo(default!) >= 0, $"{option.Name} must not be negative"));
    }

    public static void Between(this Option<decimal> option, decimal min, decimal max)
    {
        option.Validators.Add(r => Check<decimal>(r, v => v >= min && v <= max, $"{option.Name} must be between {min} and {max}"));
    }

    /// <summary>Tokens like <c>--no-such-option</c> would otherwise be taken as paths.</summary>
    public static void RejectOptionLikeValues(this Argument argument)
    {
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-')) r.AddError($"Unrecognized command or argument '{token.Value}'.");
            }
        });
    }

    private static void Check<T>(OptionResult result, Func<T, bool> ok, string message)
    {
        T value;
        try
        {
            value = result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            // The value did not convert: the parser already reports that.
            return;
        }

        if (!ok(value)) result.AddError(message);
    }
}
