using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Domain.Tests.Identifiers;

public class UsccGeneratorTests
{
    [Fact]
    public void ThousandGeneratedEnterpriseCodesAllValidate()
    {
        var codes = UsccGenerator.CreateMany(seed: 2026, count: 1_000);

        Assert.Equal(1_000, codes.Count);
        Assert.Equal(1_000, codes.Distinct().Count());
        Assert.All(codes, code =>
        {
            var check = Uscc.Validate(code);
            Assert.True(check.IsValid, $"{code}: {check.Message}");
            Assert.Equal(SubjectType.Enterprise, check.SubjectType);
            Assert.NotNull(AdministrativeDivisions.CityLevelOf(check.DivisionCode!));
        });
    }

    [Fact]
    public void SameSeedGivesSameCodes()
    {
        Assert.Equal(UsccGenerator.CreateMany(7, 50), UsccGenerator.CreateMany(7, 50));
        Assert.NotEqual(UsccGenerator.CreateMany(7, 50), UsccGenerator.CreateMany(8, 50));
    }

    [Fact]
    public void DistinctSerialsGiveDistinctValidCodes()
    {
        var codes = Enumerable.Range(0, 500).Select(i => UsccGenerator.FromSerial(i * 1_777L, '9', '2', "610502")).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Equal(SubjectType.IndividualBusiness, Uscc.Validate(code).SubjectType));
    }

    [Fact]
    public void LargestSerialStillValidates()
    {
        var code = UsccGenerator.FromSerial(UsccGenerator.SerialCapacity - 1);

        Assert.True(Uscc.Validate(code).IsValid);
        Assert.Throws<ArgumentOutOfRangeException>(() => UsccGenerator.FromSerial(UsccGenerator.SerialCapacity));
    }

    [Theory]
    [InlineData('9', '9', "610103")]
    [InlineData('B', '1', "610103")]
    [InlineData('9', '1', "619999")]
    [InlineData('9', '1', "990000")]
    [InlineData('9', '1', "6101")]
    public void InvalidPartsAreRefused(char authority, char category, string division)
    {
        Assert.Throws<ArgumentException>(() => UsccGenerator.FromSerial(1, authority, category, division));
    }

    [Fact]
    public void ExplicitBodyGetsBothCheckCharactersComputed()
    {
        Assert.Equal("91320100748204660Q", UsccGenerator.Create('9', '1', "320100", "74820466"));
    }
}
