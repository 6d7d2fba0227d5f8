using CreditGrid.Models.Training.Data;

namespace CreditGrid.Models.Tests;

public sealed class CsvAndLayoutTests
{
    [Fact]
    public void QuotedFieldsKeepCommasAndQuotes()
    {
        var table = CsvTable.Parse(new StringReader("Name,Bad\n\"Qin, \"\"Ltd\"\"\",1\n"), "test.csv");

        Assert.Equal("Qin, \"Ltd\"", table.Rows[0][0]);
    }

    [Fact]
    public void ColumnsAreTypedByScanningAndMissingTokensAreIgnored()
    {
        var csv = "Ratio,Sector,Code,Bad\n1.5,A,x0,0\n?,B,x1,1\nNA,,x2,0\n-2e3,A,x3,1\n";
        var table = CsvTable.Parse(new StringReader(csv), "test.csv");

        var layout = FeatureLayout.Infer(table, "Bad", id: null, "test.csv");

        Assert.Equal(new FeatureColumn("Ratio", ColumnKind.Numeric, Missing: 2, Distinct: 2), layout.Columns[0]);
        Assert.Equal(new FeatureColumn("Sector", ColumnKind.OneHot, Missing: 1, Distinct: 2), layout.Columns[1]);
        var rows = layout.ToRows(table, LabelParser.ParseColumn(table, "Bad", "test.csv"), "test.csv");
        Assert.True(float.IsNaN(rows[1].Numeric[0]));
        Assert.Equal(-2000f, rows[3].Numeric[0]);
        Assert.Equal("Sector=(missing)", rows[2].OneHot[0]);
    }

    [Fact]
    public void HighCardinalityStringsAreHashed()
    {
        var csv = "Branch,Bad\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"b{i},{i % 2}\n"));

        var layout = FeatureLayout.Infer(CsvTable.Parse(new StringReader(csv), "t.csv"), "Bad", null, "t.csv");

        Assert.Equal(ColumnKind.Hashed, Assert.Single(layout.Columns).Kind);
    }
}
