using CreditGrid.Domain.Events;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Simulator.Tests;

public class SubjectNameTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);
    private static readonly ProvinceSimulator Province = new(new ProvinceOptions { Enterprises = 2000, GovernmentBodies = 60, Seed = 5 }, Now);

    [Fact]
    public void CompaniesAreNamedCityWordTradeAndForm()
    {
        var companies = Province.Subjects.Where(s => s.SubjectType == SubjectType.Enterprise).ToList();

        Assert.All(companies, c =>
        {
            var city = AdministrativeDivisions.CityLevelOf(c.DivisionCode)!.Name;
            Assert.StartsWith(city, c.Name, StringComparison.Ordinal);
            Assert.EndsWith("公司", c.Name, StringComparison.Ordinal);
            Assert.True(c.Name.Length > city.Length + 6, c.Name);
        });

        // The generated word keeps names from colliding wholesale: most companies have a name of their own.
        Assert.True(companies.Select(c => c.Name).Distinct().Count() > companies.Count * 0.9);
    }

    [Fact]
    public void SomeIndividualBusinessesTradeUnderTheirOperatorsName()
    {
        var individuals = Province.Subjects.Where(s => s.SubjectType == SubjectType.IndividualBusiness).ToList();

        Assert.Contains(individuals, i => i.Name.Length <= 3);
        Assert.Contains(individuals, i => i.Name.EndsWith('店') || i.Name.EndsWith('部') || i.Name.EndsWith('馆'));
    }

    [Fact]
    public void GovernmentBodiesAreNamedAfterTheirDivision()
    {
        Assert.All(Province.Subjects.Where(s => s.SubjectType == SubjectType.GovernmentBody), g =>
            Assert.StartsWith(AdministrativeDivisions.CityLevelOf(g.DivisionCode)!.Name, g.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryRecordCarriesItsSubjectsName()
    {
        var names = Province.Subjects.ToDictionary(s => s.Uscc, s => s.Name);

        Assert.All(Province.History().Take(5000), e => Assert.Equal(names[e.SubjectId], e.SubjectName));
        Assert.Contains("\"subjectName\":", CreditRecordWriter.ToNdjsonLine(Province.NextLiveEvent()), StringComparison.Ordinal);
    }
}
