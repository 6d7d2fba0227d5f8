namespace CreditGrid.Models.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly SyntheticCredit files = new();

    public static TheoryData<string, string, string> Cases => new()
    {
        { "no label column", "A,B\n1,x\n2,y\n", "no label column 'Bad'" },
        { "non-binary label", "A,Bad\n1,0\n2,1\n3,maybe\n4,0\n", "value 'maybe' on line 4" },
        { "single class", "A,Bad\n1,0\n2,no\n3,false\n", "single class" },
        { "empty file", "", "the file is empty" },
        { "header only", "A,Bad\n", "no data rows" },
        { "ragged row", "A,B,Bad\n1,x,0\n2,y\n3,z,1\n", "line 3 has 2 fields but the header has 3" },
        { "too few positives for the folds", "A,Bad\n1,0\n2,1\n3,0\n4,0\n5,0\n6,0\n", "at least 5 rows of each class" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputFailsWithAReadableMessage(string name, string csv, string expected)
    {
        var data = files.Write($"{name.Replace(' ', '-')}.csv", csv);

        var result = CommandLineRunner.Run("train", "--data", data, "--label", "Bad", "--out", Path.Combine(files.Directory, "out"));

        Assert.Equal(ModelsCommandLine.DataError, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(Directory.Exists(Path.Combine(files.Directory, "out")));
    }

    [Fact]
    public void MissingDataFileIsReportedByName()
    {
        var result = CommandLineRunner.Run("train", "--data", "/nonexistent/credit.csv", "--label", "Bad", "--out", files.Directory);

        Assert.Equal(ModelsCommandLine.DataError, result.ExitCode);
        Assert.Contains("'/nonexistent/credit.csv' was not found", result.Error);
    }

    [Fact]
    public void MissingRequiredOptionIsAUsageError()
    {
        var result = CommandLineRunner.Run("train", "--label", "Bad", "--out", files.Directory);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--data", result.Error);
    }

    [Fact]
    public void EvaluateRejectsAFileThatIsNotAModel()
    {
        var notAModel = files.Write("model.zip", "not a zip");

        var result = CommandLineRunner.Run("evaluate", "--model", notAModel, "--data", notAModel, "--label", "Bad");

        Assert.Equal(ModelsCommandLine.DataError, result.ExitCode);
        Assert.Contains("not a readable model", result.Error);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData(" yes ", true)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("2", null)]
    [InlineData("", null)]
    public void LabelTokensAreReadCaseInsensitively(string token, bool? expected) =>
        Assert.Equal(expected, Training.Data.LabelParser.TryParse(token));

    public void Dispose() => files.Dispose();
}
