namespace Telemetry.Runtime.Tests.Errors;

public class StackFrameNormalizerTests
{
    [Theory]
    [InlineData("   at ShopApp.Orders.Repository`1.LoadAsync(Int32 id) in /src/Orders.cs:line 12", "ShopApp.Orders.Repository.LoadAsync")]
    [InlineData("   at ShopApp.Orders.Repository`1.<LoadAsync>d__4.MoveNext() in /src/Orders.cs:line 12", "ShopApp.Orders.Repository.LoadAsync")]
    [InlineData("   at ShopApp.Orders.Repository`1.Parse[TItem](Int32 id)", "ShopApp.Orders.Repository.Parse")]
    [InlineData("   at ShopApp.Orders.Cache`2[[System.String, System.Private.CoreLib],[System.Int32, System.Private.CoreLib]].Get(String key)", "ShopApp.Orders.Cache.Get")]
    [InlineData("   at ShopApp.Program.<>c.<Main>b__0_0()", "ShopApp.Program.Main.lambda")]
    [InlineData("   at ShopApp.Program.<>c__DisplayClass3_1.<Run>b__2(Int32 x)", "ShopApp.Program.Run.lambda")]
    [InlineData("   at ShopApp.Orders.Repository`1.<Validate>g__Check|2_0(<>c__DisplayClass2_0& )", "ShopApp.Orders.Repository.Validate.Check")]
    [InlineData("   at Program.<<Main>$>g__Simulate|0_0(ITelemetryClient telemetry)", "Program.Main.Simulate")]
    [InlineData("   at ShopApp.Outer+Inner.Run()", "ShopApp.Outer.Inner.Run")]
    [InlineData("   bei ShopApp.Program.Main() in C:\\src\\Program.cs:Zeile 5", "ShopApp.Program.Main")]
    public void Frames_are_normalised_to_their_source_method(string line, string expected) =>
        Assert.Equal(expected, StackFrameNormalizer.Normalize(line));

    [Theory]
    [InlineData("--- End of stack trace from previous location ---")]
    [InlineData("")]
    [InlineData("   ")]
    public void Lines_that_are_not_frames_are_skipped(string line) => Assert.Null(StackFrameNormalizer.Normalize(line));
}
