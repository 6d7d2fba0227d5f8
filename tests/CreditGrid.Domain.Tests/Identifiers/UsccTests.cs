using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Domain.Tests.Identifiers;

public class UsccTests
{
    // A generated enterprise code in Beilin district; every failure case below is one character away from it.
    private static readonly string Valid = UsccGenerator.FromSerial(12345, '9', '1', "610103");

    private static string Edit(string code, int position, char replacement) =>
        string.Concat(code.AsSpan(0, position - 1), replacement.ToString(), code.AsSpan(position));

    private static char Other(char c) => c == '0' ? '1' : '0';

    [Theory]
    [InlineData("91320100748204660Q")]
    [InlineData("91310000132215150M")]
    [InlineData("91320281142232229Q")]
    [InlineData("91370400728618604X")]
    public void RealRegisteredCodesPass(string code)
    {
        var check = Uscc.Validate(code);

        Assert.True(check.IsValid, check.Message);
        Assert.Null(check.Failure);
        Assert.Equal(code, check.Normalised);
        Assert.Equal(SubjectType.Enterprise, check.SubjectType);
        Assert.Equal(code.Substring(2, 6), check.DivisionCode);
        Assert.False(check.Whitelisted);
    }

    [Fact]
    public void LowerCaseAndSurroundingWhiteSpaceAreNormalised()
    {
        var check = Uscc.Validate("  91370400728618604x\t");

        Assert.True(check.IsValid, check.Message);
        Assert.Equal("91370400728618604X", check.Normalised);
    }

    [Fact]
    public void WorkedExampleCheckCharacterIsThree()
    {
        Assert.Equal('3', Uscc.ComputeCheckCharacter("91350100M000100Y4"));
    }

    [Fact]
    public void WorkedExampleIsRejectedAsWrongFormatBecauseZIsOutsideTheCharacterSet()
    {
        var check = Uscc.Validate("91350100M000100Y4Z");

        Assert.Equal(UsccFailure.WrongFormat, check.Failure);
        Assert.Contains("'Z' at position 18", check.Message);
    }

    [Fact]
    public void WorkedExampleWithAnotherWrongCheckCharacterIsRejectedAsWrongCheck()
    {
        var check = Uscc.Validate("91350100M000100Y4Y");

        Assert.Equal(UsccFailure.WrongCheck, check.Failure);
        Assert.Equal("check character is 'Y', expected '3'", check.Message);
        Assert.Equal("WRONG_CHECK", check.Failure!.Value.Code());
    }

    [Fact]
    public void WorkedExampleWithItsComputedCheckCharacterPasses()
    {
        Assert.True(Uscc.Validate("91350100M000100Y43").IsValid);
    }

    [Theory]
    [InlineData("91350100M0001TGQXM")]
    [InlineData("91350211M0000XUF46")]
    [InlineData("91350203M0001FUE2P")]
    public void WhitelistedFujianLegacyCodesPassAsWhitelisted(string code)
    {
        var check = Uscc.Validate(code);

        Assert.True(check.IsValid, check.Message);
        Assert.True(check.Whitelisted);
        Assert.Equal(SubjectType.Enterprise, check.SubjectType);
    }

    [Fact]
    public void WhitelistedCodeWouldOtherwiseFailItsCheckCharacter()
    {
        Assert.Equal('1', Uscc.ComputeCheckCharacter("91350100M0001TGQX"));
        Assert.Equal('X', Uscc.ComputeOrganisationCodeCheckCharacter("M0001TGQ"));
    }

    [Fact]
    public void GeneratedCodeIsValidAndNotWhitelisted()
    {
        var check = Uscc.Validate(Valid);

        Assert.True(check.IsValid, check.Message);
        Assert.False(check.Whitelisted);
        Assert.Equal("610103", check.DivisionCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("91320100748204660")]
    [InlineData("91320100748204660QQ")]
    public void WrongLengthIsRejectedAsWrongFormat(string? code)
    {
        var check = Uscc.Validate(code);

        Assert.Equal(UsccFailure.WrongFormat, check.Failure);
        Assert.Null(check.Normalised);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('-')]
    public void ExcludedCharacterIsRejectedAsWrongFormatNamingItsPosition(char excluded)
    {
        var check = Uscc.Validate(Edit(Valid, 12, excluded));

        Assert.Equal(UsccFailure.WrongFormat, check.Failure);
        Assert.Contains($"'{excluded}' at position 12", check.Message);
    }

    [Theory]
    [InlineData(1, 'B')]
    [InlineData(1, '0')]
    [InlineData(2, '4')]
    [InlineData(2, '9')]
    public void UndefinedAuthorityOrCategoryIsRejectedAsWrongAuthority(int position, char replacement)
    {
        var check = Uscc.Validate(Edit(Valid, position, replacement));

        Assert.Equal(UsccFailure.WrongAuthority, check.Failure);
        Assert.Null(check.SubjectType);
    }

    [Theory]
    [InlineData(3, '9')]
    [InlineData(4, '0')]
    [InlineData(7, '9')]
    [InlineData(8, 'A')]
    public void UnknownDivisionIsRejectedAsWrongRegion(int position, char replacement)
    {
        var check = Uscc.Validate(Edit(Valid, position, replacement));

        Assert.Equal(UsccFailure.WrongRegion, check.Failure);
        Assert.Null(check.DivisionCode);
    }

    [Fact]
    public void UnknownShaanxiDivisionIsRejectedByName()
    {
        var check = Uscc.Validate(Edit(Valid, 7, '9'));

        Assert.Equal("division code '610193' is not a known Shaanxi division", check.Message);
    }

    [Theory]
    [InlineData("100000")]
    [InlineData("110108")]
    [InlineData("440300")]
    [InlineData("820000")]
    [InlineData("610000")]
    public void NationalAndOtherProvinceDivisionsAreAccepted(string division)
    {
        var check = Uscc.Validate(UsccGenerator.FromSerial(7, '9', '1', division));

        Assert.True(check.IsValid, check.Message);
        Assert.Equal(division, check.DivisionCode);
    }

    [Fact]
    public void WrongOrganisationCodeCharacterIsRejectedWithExpectedCharacter()
    {
        var code = Edit(Valid, 17, Other(Valid[16]));

        var check = Uscc.Validate(code);

        Assert.Equal(UsccFailure.WrongOrgCodeCheck, check.Failure);
        Assert.Equal($"organisation-code check character is '{code[16]}', expected '{Valid[16]}'", check.Message);
        Assert.Equal(code, check.Normalised);
    }

    [Fact]
    public void EditedOrganisationBodyIsRejectedAsWrongOrgCodeCheck()
    {
        var code = Edit(Valid, 12, Other(Valid[11]));

        Assert.Equal(UsccFailure.WrongOrgCodeCheck, Uscc.Validate(code).Failure);
    }

    [Fact]
    public void WrongCheckCharacterIsRejectedWithExpectedCharacter()
    {
        var code = Edit(Valid, 18, Other(Valid[17]));

        var check = Uscc.Validate(code);

        Assert.Equal(UsccFailure.WrongCheck, check.Failure);
        Assert.Equal($"check character is '{code[17]}', expected '{Valid[17]}'", check.Message);
        Assert.Equal(SubjectType.Enterprise, check.SubjectType);
        Assert.Equal("610103", check.DivisionCode);
    }

    [Fact]
    public void EditedDivisionThatStaysKnownIsRejectedAsWrongCheck()
    {
        // 610103 → 610104 (Lianhu) keeps the region valid, so only the final check can catch the typo.
        var check = Uscc.Validate(Edit(Valid, 8, '4'));

        Assert.Equal(UsccFailure.WrongCheck, check.Failure);
    }

    [Theory]
    [InlineData('1', '1', SubjectType.GovernmentBody)]
    [InlineData('1', '2', SubjectType.GovernmentBody)]
    [InlineData('1', '3', SubjectType.Other)]
    [InlineData('9', '1', SubjectType.Enterprise)]
    [InlineData('9', '2', SubjectType.IndividualBusiness)]
    [InlineData('9', '3', SubjectType.Enterprise)]
    [InlineData('5', '1', SubjectType.SocialOrganisation)]
    [InlineData('5', '3', SubjectType.SocialOrganisation)]
    [InlineData('3', '1', SubjectType.Other)]
    [InlineData('N', '2', SubjectType.Other)]
    public void SubjectTypeFollowsAuthorityAndCategory(char authority, char category, SubjectType expected)
    {
        var check = Uscc.Validate(UsccGenerator.FromSerial(99, authority, category, "610100"));

        Assert.True(check.IsValid, check.Message);
        Assert.Equal(expected, check.SubjectType);
    }

    [Theory]
    [InlineData(UsccFailure.WrongFormat, "WRONG_FORMAT")]
    [InlineData(UsccFailure.WrongAuthority, "WRONG_AUTHORITY")]
    [InlineData(UsccFailure.WrongRegion, "WRONG_REGION")]
    [InlineData(UsccFailure.WrongOrgCodeCheck, "WRONG_ORGCODE_CHECK")]
    [InlineData(UsccFailure.WrongCheck, "WRONG_CHECK")]
    public void EveryFailureHasAStableWireCode(UsccFailure failure, string code)
    {
        Assert.Equal(code, failure.Code());
        Assert.Equal(failure, UsccFailureCodes.FromCode(code));
    }
}
