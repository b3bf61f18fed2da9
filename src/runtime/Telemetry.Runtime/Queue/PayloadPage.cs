using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// A pooled array that queued events' wire bytes are slices of. A queue copies the events it stores into pages of its
/// own and lends those slices to a lease; a page goes back to the pool, its used bytes cleared, once the queue holds
/// none of its events and no lease still reads it. A page nobody gives back (a lease that never ended) is collected.
/// </summary>
/// <remarks>Every member is used under the owning queue's lock.</remarks>
internal sealed class PayloadPage
{
    /// <summary>The size of a page events are appended into: below the large-object heap's threshold.</summary>
    public const int DefaultSize = 64 * 1024;

    private readonly ArrayPool<byte> _pool;

    private PayloadPage(ArrayPool<byte> pool, byte[] array)
    {
        _pool = pool;
        Array = array;
    }

    /// <summary>The pooled array (empty once returned).</summary>
    public byte[] Array { get; private set; }

    /// <summary>Bytes written from the start of <see cref="Array"/>.</summary>
    public int Used { get; private set; }

    /// <summary>Events (or, for a cached segment, holders) the queue keeps in this page.</summary>
    public int Stored { get; set; }

    /// <summary>Bytes of the events the queue keeps in this page.</summary>
    public long StoredBytes { get; set; }

    /// <summary>Events of unfinished leases in this page.</summary>
    public int Lent { get; set; }

    /// <summary>The queue still appends into this page.</summary>
    public bool Open { get; set; }

    /// <summary>Bytes still free.</summary>
    public int Free => Array.Length - Used;

    /// <summary>
    /// A pool for one queue's pages: at most <paramref name="arraysPerSize"/> free arrays of each size up to
    /// <paramref name="largestPooled"/> bytes are kept, so what a burst rented is let go as soon as it is returned.
    /// </summary>
    public static ArrayPool<byte> CreatePool(int largestPooled, int arraysPerSize) => ArrayPool<byte>.Create(largestPooled, arraysPerSize);

    /// <summary>A page of at least <paramref name="size"/> bytes from <paramref name="pool"/>.</summary>
    public static PayloadPage Rent(ArrayPool<byte> pool, int size) => new(pool, pool.Rent(size));

    /// <summary>Copies <paramref name="bytes"/> to the end of the page and returns the copy (the caller checked <see cref="Free"/>).</summary>
    public ReadOnlyMemory<byte> Append(ReadOnlySpan<byte> bytes)
    {
        var at = Used;
        bytes.CopyTo(Array.AsSpan(at));
        Used = at + bytes.Length;
        return new ReadOnlyMemory<byte>(Array, at, bytes.Length);
    }

    /// <summary>Clears the used bytes and returns the array to the pool once nothing holds the page; true when it did.</summary>
    public bool ReturnIfIdle()
    {
        if (Stored > 0 || Lent > 0 || Open || Array.Length == 0) return false;
        var array = Array;
        array.AsSpan(0, Used).Clear();
        Array = System.Array.Empty<byte>();
        Used = 0;
        _pool.Return(array);
        return true;
    }
}

/// <summary>
/// The events of one <see cref="IOfflineQueue.Lease"/> of a queue that lends its pages: the events, and the pages they
/// are slices of, held until <see cref="IOfflineQueue.EndLease"/>. The queue reuses the list for a later lease.
/// </summary>
internal sealed class LeasedEvents : IReadOnlyList<QueuedEvent>
{
    private const int MaxKept = 2;
    private readonly List<QueuedEvent> _events = new();
    private readonly List<PayloadPage> _pages = new();

    private LeasedEvents(object owner) => Owner = owner;

    /// <summary>The queue that lent the events.</summary>
    public object Owner { get; }

    /// <summary>Ended: the pages were given back.</summary>
    public bool Ended { get; private set; }

    /// <summary>An empty lease of <paramref name="owner"/>, reusing one of <paramref name="free"/> (the owner's lock is held).</summary>
    public static LeasedEvents Start(object owner, Stack<LeasedEvents> free)
    {
        if (!free.TryPop(out var leased)) return new LeasedEvents(owner);
        leased.Ended = false;
        return leased;
    }

    /// <summary>
    /// Ends <paramref name="leased"/> if <paramref name="owner"/> lent it (the owner's lock is held): its pages are given
    /// back and the list kept in <paramref name="free"/> for a later lease.
    /// </summary>
    public static void End(object owner, IReadOnlyList<QueuedEvent> leased, Stack<LeasedEvents> free)
    {
        if (leased is not LeasedEvents mine || !ReferenceEquals(mine.Owner, owner) || mine.Ended) return;
        mine.End();
        if (free.Count < MaxKept && mine._events.Capacity <= 4096) free.Push(mine);
    }

    public int Count => _events.Count;

    public QueuedEvent this[int index] => _events[index];

    /// <summary>Adds a leased event, a slice of <paramref name="page"/> (null when its bytes are not pooled).</summary>
    public void Add(QueuedEvent e, PayloadPage? page)
    {
        _events.Add(e);
        if (page is null) return;
        page.Lent++;
        _pages.Add(page);
    }

    /// <summary>Gives the pages back: each is returned to the pool when nothing else holds it.</summary>
    private void End()
    {
        Ended = true;
        foreach (var page in _pages)
        {
            page.Lent--;
            page.ReturnIfIdle();
        }

        _pages.Clear();
        _events.Clear();
    }

    public List<QueuedEvent>.Enumerator GetEnumerator() => _events.GetEnumerator();

    IEnumerator<QueuedEvent> IEnumerable<QueuedEvent>.GetEnumerator() => _events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _events.GetEnumerator();
}
