using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Decides on the caller's thread whether an event is recorded: the user's FNV-1a bucket against the
/// catalog rate, or the configured <see cref="SamplingRule"/> of the event. With no rules configured
/// it is one integer comparison; with rules, one reference-keyed lookup of a rule compiled once per
/// event type.
/// </summary>
internal sealed class EventSampler
{
    private readonly Dictionary<string, SamplingRule> _rules;
    private readonly ConcurrentDictionary<EventDescriptor, CompiledRule> _compiled = new(ReferenceEqualityComparer.Instance);
    private readonly TimeProvider _time;

    public EventSampler(IReadOnlyDictionary<string, SamplingRule>? rules, TimeProvider time)
    {
        _time = time;
        _rules = new Dictionary<string, SamplingRule>(StringComparer.Ordinal);
        if (rules is null) return;
        foreach (var pair in rules) _rules[pair.Key] = pair.Value;
    }

    /// <summary>Whether <paramref name="descriptor"/>'s event would be recorded for <paramref name="bucket"/> now (no throttle budget is used).</summary>
    public bool IsEnabled(EventDescriptor descriptor, int bucket, out SampledOutReason reason)
    {
        if (_rules.Count == 0)
        {
            reason = SampledOutReason.Bucket;
            return bucket < descriptor.SampledBuckets;
        }

        var rule = Compile(descriptor);
        if (bucket >= rule.SampledBuckets)
        {
            reason = rule.Strategy == SamplingStrategy.Never ? SampledOutReason.Never : SampledOutReason.Bucket;
            return false;
        }

        reason = SampledOutReason.Throttled;
        return rule.Throttle is null || rule.Throttle.HasRoom(_time.GetUtcNow().UtcTicks);
    }

    /// <summary>Whether to record one event now; consumes throttle budget; gives the rate stamped on the event.</summary>
    public bool TryAccept(EventDescriptor descriptor, int bucket, long nowTicks, out double rate, out SampledOutReason reason)
    {
        if (_rules.Count == 0)
        {
            rate = descriptor.EffectiveSampling;
            reason = SampledOutReason.Bucket;
            return bucket < descriptor.SampledBuckets;
        }

        var rule = Compile(descriptor);
        rate = rule.Rate;
        if (bucket >= rule.SampledBuckets)
        {
            reason = rule.Strategy == SamplingStrategy.Never ? SampledOutReason.Never : SampledOutReason.Bucket;
            return false;
        }

        reason = SampledOutReason.Throttled;
        return rule.Throttle is null || rule.Throttle.TryTake(nowTicks);
    }

    /// <summary>The rule that applies to <paramref name="eventName"/> (exact name, else the longest <c>prefix.*</c>), or null.</summary>
    public SamplingRule? FindRule(string eventName)
    {
        if (_rules.TryGetValue(eventName, out var exact)) return exact;
        SamplingRule? best = null;
        var bestLength = -1;
        foreach (var pair in _rules)
        {
            var key = pair.Key;
            if (key == "*" && bestLength < 0)
            {
                best = pair.Value;
                bestLength = 0;
                continue;
            }

            if (key.Length > 2 && key.EndsWith(".*", StringComparison.Ordinal))
            {
                var prefix = key.AsSpan(0, key.Length - 1);
                if (eventName.AsSpan().StartsWith(prefix, StringComparison.Ordinal) && prefix.Length > bestLength)
                {
                    best = pair.Value;
                    bestLength = prefix.Length;
                }
            }
        }

        return best;
    }

    private CompiledRule Compile(EventDescriptor descriptor) =>
        _compiled.TryGetValue(descriptor, out var compiled) ? compiled : _compiled.GetOrAdd(descriptor, d => CompiledRule.Create(d, FindRule(d.Name)));

    private sealed class CompiledRule
    {
        private CompiledRule(SamplingStrategy strategy, int sampledBuckets, double rate, ThrottleWindow? throttle)
        {
            Strategy = strategy;
            SampledBuckets = sampledBuckets;
            Rate = rate;
            Throttle = throttle;
        }

        public SamplingStrategy Strategy { get; }

        public int SampledBuckets { get; }

        public double Rate { get; }

        public ThrottleWindow? Throttle { get; }

        public static CompiledRule Create(EventDescriptor descriptor, SamplingRule? rule)
        {
            var catalog = new CompiledRule(SamplingStrategy.Probabilistic, descriptor.SampledBuckets, descriptor.EffectiveSampling, null);
            if (rule is null) return catalog;
            if (rule.Strategy == SamplingStrategy.Never) return new CompiledRule(SamplingStrategy.Never, 0, 0, null);

            // Session and financial data are never sampled: the catalog already sends them to every user.
            var neverSampled = descriptor.Sensitivity is Sensitivity.Session or Sensitivity.Financial;
            if (neverSampled) return catalog;
            return rule.Strategy switch
            {
                SamplingStrategy.Always => new CompiledRule(SamplingStrategy.Always, EventDescriptor.BucketCount, 1, null),
                SamplingStrategy.Probabilistic when rule.Rate is { } rate => new CompiledRule(SamplingStrategy.Probabilistic, BucketsFor(rate), rate, null),
                SamplingStrategy.Probabilistic => catalog,
                SamplingStrategy.Throttled => new CompiledRule(SamplingStrategy.Throttled, descriptor.SampledBuckets, descriptor.EffectiveSampling, new ThrottleWindow(rule.MaxEvents, rule.Window.Ticks)),
                _ => catalog,
            };
        }

        private static int BucketsFor(double rate) =>
            (int)Math.Round(Math.Clamp(rate, 0, 1) * EventDescriptor.BucketCount, MidpointRounding.AwayFromZero);
    }
}
