namespace Telemetry.Runtime.Tests.Sampling;

public class Fnv1a32Tests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("b", 0xe70c2de5u)]
    [InlineData("foo", 0xa9f37ed7u)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Hash_matches_the_published_FNV_1a_32_test_vectors(string input, uint expected)
    {
        Assert.Equal(expected, Fnv1a32.Hash(input));
    }

    [Fact]
    public void Hash_of_a_long_string_uses_the_same_algorithm_as_the_stack_path()
    {
        var longText = new string('x', 1000);
        Assert.Equal(Fnv1a32.Hash(System.Text.Encoding.UTF8.GetBytes(longText)), Fnv1a32.Hash(longText));
    }

    [Fact]
    public void The_same_user_always_lands_in_the_same_bucket()
    {
        var first = Fnv1a32.Bucket("user-42");
        for (var i = 0; i < 100; i++) Assert.Equal(first, Fnv1a32.Bucket("user-42"));
        Assert.Equal((int)(0xbf9cf968u % 10_000), Fnv1a32.Bucket("foobar"));
    }

    [Fact]
    public void Buckets_are_within_0_to_9999()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var bucket = Fnv1a32.Bucket("u" + i);
            Assert.InRange(bucket, 0, EventDescriptor.BucketCount - 1);
        }
    }
}
