using System.Text;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Data;

public sealed class CsvTableTests
{
    [Fact]
    public void QuotedFieldsKeepCommasDoubledQuotesAndLineBreaks()
    {
        var table = CsvTable.Parse("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n", "t.csv");

        Assert.Empty(table.Problems);
        Assert.Equal(["id", "text"], table.Header);
        Assert.Equal(["a, b", "say \"hi\"", "two\nlines", ""], table.Records.Select(r => r.Fields[1]));
    }

    [Fact]
    public void RecordsKnowTheFileLineTheyStartOn()
    {
        var table = CsvTable.Parse("id,text\r\n1,\"first\r\nsecond\"\r\n2,x\r\n\r\n3,y", "t.csv");

        Assert.Equal([2, 4, 6], table.Records.Select(r => r.Line));
        Assert.Equal("first\r\nsecond", table.Records[0].Fields[1]);
    }

    [Fact]
    public void BlankLinesAndTheFinalLineBreakAddNoRecords()
    {
        var table = CsvTable.Parse("a,b\n\n1,2\n\n", "t.csv");

        var record = Assert.Single(table.Records);
        Assert.Equal(["1", "2"], record.Fields);
    }

    [Fact]
    public void EmptyFieldsAreKeptEvenAtTheEndOfARecord()
    {
        var table = CsvTable.Parse("a,b,c\nx,,\n", "t.csv");

        Assert.Equal(["x", "", ""], Assert.Single(table.Records).Fields);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsUtf8FilesWithOrWithoutByteOrderMark(bool bom)
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), "t.csv");
        File.WriteAllText(path, "id,label\r\n1,café\r\n", new UTF8Encoding(bom));

        var table = CsvTable.Read(path);

        Assert.Equal(["id", "label"], table.Header);
        Assert.Equal("café", Assert.Single(table.Records).Fields[1]);
        Assert.Equal(1, table.ColumnIndex("LABEL"));
    }

    [Fact]
    public void ReportsAFileThatIsNotUtf8()
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), "t.csv");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes("id,label\n1,café\n"));

        var problem = Assert.Single(CsvTable.Read(path, "t.csv").Problems);

        Assert.Equal("t.csv", problem.File);
        Assert.Contains("not valid UTF-8", problem.Message);
    }

    [Fact]
    public void ReportsAQuoteThatIsNeverClosedAtTheLineItOpens()
    {
        var table = CsvTable.Parse("id,text\n1,ok\n2,\"open\n3,more\n", "t.csv");

        var problem = Assert.Single(table.Problems);
        Assert.Equal(("t.csv", 3), (problem.File, problem.Row));
        Assert.Contains("never closed", problem.Message);
    }

    [Fact]
    public void ReportsStrayQuotesOnTheirLine()
    {
        var table = CsvTable.Parse("id,text\n1,\"quoted\"tail\n2,in\"side\n", "t.csv");

        Assert.Collection(table.Problems,
            p => Assert.Equal((2, true), (p.Row ?? 0, p.Message.Contains("after a closing quote"))),
            p => Assert.Equal((3, true), (p.Row ?? 0, p.Message.Contains("quote inside an unquoted field"))));
    }
}
