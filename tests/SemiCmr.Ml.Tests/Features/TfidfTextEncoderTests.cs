using SemiCmr.Ml.Features;

namespace SemiCmr.Ml.Tests.Features;

public sealed class TfidfTextEncoderTests
{
    private static float Cosine(float[] a, float[] b) => a.Select((x, i) => x * b[i]).Sum();

    [Fact]
    public void ChineseTextsThatShareWordsGetNonzeroSimilarVectors()
    {
        string[] train = ["我喜欢在公园里散步", "小狗在草地上奔跑", "今天的天气非常好", "股票市场今天大跌", "一只小狗在公园里玩球"];
        var tfidf = TfidfTextEncoder.Fit(train, 256);

        var dogPark = tfidf.Encode("小狗在公园里奔跑");
        var dogGrass = tfidf.Encode("小狗在草地上玩");
        var market = tfidf.Encode("股票市场大跌");

        Assert.Contains(dogPark, v => v != 0);
        Assert.Equal(1.0, Math.Sqrt(dogPark.Sum(v => v * v)), 4);
        Assert.True(Cosine(dogPark, dogGrass) > 0.2, $"overlapping texts: {Cosine(dogPark, dogGrass)}");
        Assert.True(Cosine(dogPark, dogGrass) > 2 * Cosine(dogPark, market), "overlapping texts should be closer than unrelated ones");
    }

    [Fact]
    public void VocabularyIsCappedSplitBetweenWordsAndCharactersAndDeterministic()
    {
        string[] train = ["a red circle left of a blue square", "a small green triangle", "the blue square is large", "red and green"];
        var first = TfidfTextEncoder.Fit(train, 40);
        var second = TfidfTextEncoder.Fit(train.Reverse().ToArray(), 40);

        Assert.Equal(40, first.Dimensions);
        Assert.Equal(20, first.Terms.Count(t => t.StartsWith("w:")));
        Assert.Equal(first.Terms, second.Terms);
        Assert.Equal(first.Encode("a blue circle"), second.Encode("a blue circle"));
    }

    [Fact]
    public void AnEncoderWeighsItsVocabularyByTheLengthOfItsTerms()
    {
        var small = TfidfTextEncoder.Fit(["a red circle", "a blue square"], 10);
        var large = TfidfTextEncoder.Fit(["a red circle", "a blue square"], 40);
        long PerTerm(TfidfTextEncoder e) => (e.EstimatedBytes - 2L * e.Terms.Sum(t => t.Length)) / e.Dimensions;

        Assert.True(large.Dimensions > small.Dimensions);
        Assert.True(large.EstimatedBytes > small.EstimatedBytes);
        // Each term costs its characters (two bytes each) and the same fixed bookkeeping.
        Assert.Equal(PerTerm(small), PerTerm(large));
        Assert.Equal(0, (small.EstimatedBytes - 2L * small.Terms.Sum(t => t.Length)) % small.Dimensions);
    }

    [Fact]
    public void SavedEncoderGivesTheSameVectorsAfterLoading()
    {
        var tfidf = TfidfTextEncoder.Fit(["Ein Hund läuft über die Wiese", "Zwei Hunde spielen", "Die Katze schläft"], 64);
        var path = Path.Combine(TestPaths.NewTempFolder(), "text_encoder.json");

        tfidf.Save(path);
        var loaded = TfidfTextEncoder.Load(path);

        Assert.Equal(tfidf.Encode("ein Hund spielt"), loaded.Encode("ein Hund spielt"));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void TextWithoutKnownTermsIsTheZeroVector()
    {
        var tfidf = TfidfTextEncoder.Fit(["alpha beta", "gamma delta"], 16);
        Assert.All(tfidf.Encode("!!! ???"), v => Assert.Equal(0f, v));
    }
}
