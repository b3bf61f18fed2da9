using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests.Model;

/// <summary>Value equality of the array type that keeps the catalog records cacheable.</summary>
public sealed class EquatableArrayTests
{
    [Fact]
    public void ArraysWithTheSameItemsAreEqualWithEqualHashCodes()
    {
        var a = new[] { "a", "b" }.ToEquatableArray();
        var b = new List<string> { "a", "b" }.ToEquatableArray();

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void OrderMatters() => Assert.NotEqual(new[] { "a", "b" }.ToEquatableArray(), new[] { "b", "a" }.ToEquatableArray());

    [Fact]
    public void DifferentLengthsAreUnequal() => Assert.NotEqual(new[] { 1, 2 }.ToEquatableArray(), new[] { 1, 2, 3 }.ToEquatableArray());

    [Fact]
    public void DefaultEmptyAndEmptyListAreAllEqual()
    {
        var fromEmptyList = new List<int>().ToEquatableArray();

        Assert.Equal(default(EquatableArray<int>), EquatableArray<int>.Empty);
        Assert.Equal(EquatableArray<int>.Empty, fromEmptyList);
        Assert.Equal(EquatableArray<int>.Empty.GetHashCode(), fromEmptyList.GetHashCode());
        Assert.True(default(EquatableArray<int>).IsEmpty);
        Assert.Empty(default(EquatableArray<int>));
        Assert.Empty(default(EquatableArray<int>).ToArray());
    }

    [Fact]
    public void ConstructorCopiesTheSourceSoLaterChangesDoNotLeakIn()
    {
        var source = new List<string> { "a" };
        var array = new EquatableArray<string>(source);

        source.Add("b");

        Assert.Equal(new[] { "a" }, array);
    }

    [Fact]
    public void ToArrayReturnsACopy()
    {
        var array = new[] { 1, 2 }.ToEquatableArray();

        array.ToArray()[0] = 99;

        Assert.Equal(1, array[0]);
    }

    [Fact]
    public void FromOwnedWrapsTheGivenArray()
    {
        var array = EquatableArray<int>.FromOwned(new[] { 3, 4 });

        Assert.Equal(2, array.Count);
        Assert.Equal(4, array[1]);
        Assert.Equal(new[] { 3, 4 }.ToEquatableArray(), array);
    }

    [Fact]
    public void NullItemsCompareAndHash()
    {
        var a = new string?[] { null, "x" }.ToEquatableArray();
        var b = new string?[] { null, "x" }.ToEquatableArray();

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void RecordsHoldingEquatableArraysHaveValueEquality()
    {
        var a = new AggregateStatSpec("price", new[] { AggregateStatKind.Min, AggregateStatKind.Max }.ToEquatableArray());
        var b = new AggregateStatSpec("price", new[] { AggregateStatKind.Min, AggregateStatKind.Max }.ToEquatableArray());
        var c = new AggregateStatSpec("price", new[] { AggregateStatKind.Min }.ToEquatableArray());

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }
}
