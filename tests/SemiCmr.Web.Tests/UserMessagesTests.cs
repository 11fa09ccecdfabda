using SemiCmr.Web.Api;

namespace SemiCmr.Web.Tests;

public sealed class UserMessagesTests
{
    [Theory]
    [InlineData("Could not find file '/srv/semicmr/data/datasets/3.importing/image_features.npy'.", "Could not find file 'image_features.npy'.")]
    [InlineData("Access to the path /var/lib/semicmr/runs/7 is denied.", "Access to the path 7 is denied.")]
    [InlineData("the text is empty", "the text is empty")]
    [InlineData("Feature rows must match the items. (Parameter 'dataset')", "Feature rows must match the items.")]
    [InlineData("use image/jpeg or image/png", "use image/jpeg or image/png")]
    public void MessagesKeepOnlyTheLastPartOfEveryAbsolutePathAndNoParameterNames(string message, string shown) =>
        Assert.Equal(shown, UserMessages.Clean(message));

    [Fact]
    public void EchoedValuesAreShortAndShowControlCharactersAsQuestionMarks()
    {
        Assert.Equal(Problems.EchoLength + 1, Problems.Echo(new string('m', 5_000_000)).Length);
        Assert.Equal("a?b", Problems.Echo("a\0b"));
    }
}
