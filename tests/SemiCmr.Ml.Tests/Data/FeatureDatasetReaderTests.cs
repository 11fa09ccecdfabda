using SemiCmr.Ml.Data;
using static SemiCmr.Ml.Tests.Data.DatasetFolder;

namespace SemiCmr.Ml.Tests.Data;

public sealed class FeatureDatasetReaderTests
{
    private const string Image = "image_features.npy";
    private const string Text = "text_features.npy";

    [Fact]
    public void ReadsItemsWithSortedClassNamesAndLabelIndices()
    {
        var folder = Create(
            "id,split,labels,image,text,text_file\n" +
            "a,train, dog ; Cat ,a.jpg,\"A dog, and a cat\",\n" +
            "b,Validation,dog;;dog,,,b.txt\n" +
            "c,TEST,,,,\n" +
            "d,val,cat,,,\n",
            Matrix(4, 3), Matrix(4, 2));

        var dataset = FeatureDatasetReader.Read(folder);

        // Ordinal order: upper case sorts before lower case.
        Assert.Equal(["Cat", "cat", "dog"], dataset.ClassNames);
        Assert.Equal(["a", "b", "c", "d"], dataset.Items.Select(i => i.Id));
        Assert.Equal([Split.Train, Split.Val, Split.Test, Split.Val], dataset.Items.Select(i => i.Split));
        Assert.Equal([0, 2], dataset.Items[0].Labels);
        Assert.Equal([2], dataset.Items[1].Labels);
        Assert.False(dataset.Items[2].HasLabels);
        Assert.Equal(("a.jpg", "A dog, and a cat", (string?)null), (dataset.Items[0].Image, dataset.Items[0].Text, dataset.Items[0].TextFile));
        Assert.Equal("b.txt", dataset.Items[1].TextFile);
        Assert.True(dataset.IsMultiLabel);
        Assert.Equal((3, 2), (dataset.ImageFeatures.Columns, dataset.TextFeatures.Columns));
        Assert.Equal(3.02f, dataset.ImageFeatures.Row(3)[2]);
    }

    [Fact]
    public void ReaderListsEveryProblemWithFileRowAndColumn()
    {
        var text = Matrix(6, 2);
        text.Values[3 * 2 + 1] = float.NaN;
        var folder = Create(
            "id,split,labels\n" +
            "a,train,x\n" +
            "b,train,y\n" +
            "a,test,x\n" +
            ",test,y\n" +
            "e,holdout,x\n" +
            "f,test\n",
            Matrix(5, 3), text);

        var error = Refusal(folder);

        AssertProblem(error, "items.csv", 4, "id", "the id 'a' is already used on row 2");
        AssertProblem(error, "items.csv", 5, "id", "the id is empty");
        AssertProblem(error, "items.csv", 6, "split", "unknown split 'holdout': use train, val or test");
        AssertProblem(error, "items.csv", 7, null, "the row has 2 fields but the header has 3");
        AssertProblem(error, Image, null, null, "the file has 5 rows but items.csv has 6 items");
        AssertProblem(error, Text, 5, "1", "NaN");
        Assert.Equal(6, error.Problems.Count);
    }

    [Fact]
    public void ReportsEveryMissingFile()
    {
        var folder = TestPaths.NewTempFolder();

        var error = Refusal(folder);

        Assert.Equal(["items.csv", Image, Text], error.Problems.Select(p => p.File));
        Assert.All(error.Problems, p => Assert.Contains("missing", p.Message));
    }

    [Fact]
    public void ReportsMissingRequiredColumnsOnTheHeaderRow()
    {
        var folder = Create("ID,category\n1,train\n", Matrix(1, 2), Matrix(1, 2));

        var error = Refusal(folder);

        AssertProblem(error, "items.csv", 1, "split", "the required column 'split' is missing");
        AssertProblem(error, "items.csv", 1, "labels", "the required column 'labels' is missing");
        Assert.DoesNotContain(error.Problems, p => p.Column == "id");
    }

    [Fact]
    public void ReportsWrongDtypeAndShapePerFile()
    {
        var folder = Create("id,split,labels\na,train,x\nb,test,x\n", null, null);
        File.WriteAllBytes(Path.Combine(folder, Image), NpyBytes.File("<i8", false, "(2, 2)", new byte[32]));
        File.WriteAllBytes(Path.Combine(folder, Text), NpyBytes.File("<f4", false, "(2, 2, 1)", new byte[16]));

        var error = Refusal(folder);

        AssertProblem(error, Image, null, null, "dtype '<i8' is not supported: use float32 or float64");
        AssertProblem(error, Text, null, null, "shape (2, 2, 1) is 3-D");
        Assert.Equal(2, error.Problems.Count);
    }

    [Fact]
    public void ListsTheFirstNonFiniteValuesByItemRowAndFeatureThenCountsTheRest()
    {
        var image = Matrix(3, 4);
        image.Values.AsSpan().Fill(float.PositiveInfinity);
        image.Values[0] = 1f;
        var folder = Create("id,split,labels\na,train,x\nb,test,x\nc,test,x\n", image, Matrix(3, 1));

        var error = Refusal(folder);

        AssertProblem(error, Image, 2, "1", "+Infinity");
        AssertProblem(error, Image, 3, "1", "+Infinity");
        Assert.Equal(FeatureDatasetReader.ListedNonFiniteValues, error.Problems.Count(p => p.Row is not null));
        AssertProblem(error, Image, null, null, "6 more NaN or infinite values (11 in total)");
    }

    [Fact]
    public void FeatureRowsAreReportedAtTheItemsCsvRowOfTheirItem()
    {
        // The first item's text spans three lines, so item 2 starts on line 5 of items.csv.
        var image = Matrix(2, 2);
        image.Values[3] = float.NegativeInfinity;
        var folder = Create("id,split,labels,text\na,train,x,\"one\ntwo\nthree\"\nb,test,x,four\n", image, Matrix(2, 2));

        var error = Refusal(folder);

        var problem = Assert.Single(error.Problems);
        Assert.Equal((Image, 5, "1"), (problem.File, problem.Row, problem.Column));
    }

    [Fact]
    public void RefusesADatasetWithoutTrainItems()
    {
        var folder = Create("id,split,labels\na,test,x\nb,val,x\n", Matrix(2, 2), Matrix(2, 2));

        var problem = Assert.Single(Refusal(folder).Problems);

        Assert.Equal(("items.csv", (int?)null, "split"), (problem.File, problem.Row, problem.Column));
        Assert.Contains("no train items", problem.Message);
    }

    [Fact]
    public void RefusesADatasetWithoutTestItems()
    {
        var folder = Create("id,split,labels\na,train,x\nb,validation,x\n", Matrix(2, 2), Matrix(2, 2));

        var problem = Assert.Single(Refusal(folder).Problems);

        Assert.Equal(("items.csv", (int?)null, "split"), (problem.File, problem.Row, problem.Column));
        Assert.Contains("no test items", problem.Message);
    }

    [Fact]
    public void RefusesAFolderThatDoesNotExist()
    {
        var folder = Path.Combine(TestPaths.NewTempFolder(), "nowhere");

        var problem = Assert.Single(Refusal(folder).Problems);

        Assert.Equal(folder, problem.File);
    }
}
