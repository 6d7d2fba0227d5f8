using CreditGrid.Domain.Disclosure;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Tests.Disclosure;

public class PersonalDataMaskerTests
{
    // A structurally valid number (birth date 1990-03-07, ISO 7064 check character 4).
    private const string IdentityNumber = "610103199003071234";

    [Fact]
    public void SampleIdentityNumberIsValid()
    {
        Assert.True(PersonalDataMasker.IsResidentIdentityNumber(IdentityNumber));
        Assert.False(PersonalDataMasker.IsResidentIdentityNumber("610103199003071233"));
        Assert.False(PersonalDataMasker.IsResidentIdentityNumber("610103199013071234"));
    }

    [Fact]
    public void IdentityAndMobileNumbersInTextAreMasked()
    {
        var masked = PersonalDataMasker.MaskText($"当事人身份证号{IdentityNumber}，联系电话13912345678。");

        Assert.Equal("当事人身份证号610103********1234，联系电话139****5678。", masked);
    }

    [Fact]
    public void CodesAndLongNumbersAreLeftAlone()
    {
        const string text = "统一社会信用代码91610103MA6U1AAA1X，文书号6101031990030712339，金额13912345678901元";

        Assert.Equal(text, PersonalDataMasker.MaskText(text));
    }

    [Fact]
    public void IndividualBusinessNamedAfterItsOperatorShowsTheSurnameOnly()
    {
        Assert.Equal("张**", PersonalDataMasker.MaskSubjectName("张晓明", SubjectType.IndividualBusiness));
        Assert.Equal("雁塔区嘉禾小吃店", PersonalDataMasker.MaskSubjectName("雁塔区嘉禾小吃店", SubjectType.IndividualBusiness));
        Assert.Equal("张晓明", PersonalDataMasker.MaskSubjectName("张晓明", SubjectType.Enterprise));
    }
}
