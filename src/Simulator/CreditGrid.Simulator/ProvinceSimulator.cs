using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Simulator;

/// <summary>
/// A Shaanxi-like province: enterprises and government bodies with valid USCCs registered in the real counties,
/// the departments that report on them, a few years of credit history per subject, and a live trickle.
/// Generative model: each subject draws a latent risk r = U^2.5 (most subjects are good, a long tail is not);
/// the rate of every adverse record grows with r and of every favourable one shrinks with it (see README).
/// </summary>
public sealed class ProvinceSimulator
{
    private static readonly string[] LicenceTypes = ["食品经营许可证", "建筑业企业资质证书", "道路运输经营许可证", "排污许可证", "药品经营许可证", "安全生产许可证"];
    private readonly ProvinceOptions _options;
    private readonly DateOnly _today;
    private readonly Random _live;
    private readonly Dictionary<string, long> _recordCounters = [];

    public ProvinceSimulator(ProvinceOptions options, DateTimeOffset now)
    {
        _options = options;
        _today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(options.Seed);
        Departments = CreateDepartments(random);
        Subjects = [.. CreateEnterprises(random), .. CreateGovernmentBodies(random)];
        _live = new Random(options.Seed + 7);
    }

    public IReadOnlyList<SimulatedDepartment> Departments { get; }

    public IReadOnlyList<SimulatedSubject> Subjects { get; }

    private SimulatedDepartment MarketRegulation => Departments[0];

    private SimulatedDepartment Tax => Departments[1];

    private SimulatedDepartment Court => Departments[2];

    private SimulatedDepartment Development => Departments[3];

    private SimulatedDepartment PowerSupply => Departments[4];

    private SimulatedDepartment Environment => Departments[5];

    /// <summary>Every subject's history, subject by subject, in decision-date order within a subject.</summary>
    public IEnumerable<CreditEvent> History()
    {
        var random = new Random(_options.Seed + 1);
        foreach (var subject in Subjects)
        {
            var events = subject.SubjectType == SubjectType.GovernmentBody ? GovernmentHistory(random, subject) : EnterpriseHistory(random, subject);
            foreach (var e in events.OrderBy(e => e.DecisionDate))
            {
                yield return e;
            }
        }
    }

    /// <summary>One new record about a random subject, decided today.</summary>
    public CreditEvent NextLiveEvent()
    {
        var subject = Subjects[_live.Next(Subjects.Count)];
        var roll = _live.NextDouble();
        return roll switch
        {
            < 0.35 => Utility(_live, subject, _today),
            < 0.55 => Inspection(_live, subject, _today),
            < 0.75 => Licence(_live, subject, _today),
            < 0.97 => Penalty(_live, subject, _today),
            _ => _live.NextDouble() < 0.5 ? SeriousListing(subject, _today) : Debtor(_live, subject, _today),
        };
    }

    private IEnumerable<CreditEvent> EnterpriseHistory(Random random, SimulatedSubject s)
    {
        var r = s.Risk;
        var start = Later(s.Founded, _today.AddYears(-_options.HistoryYears));
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            yield return Licence(random, s, RandomDate(random, start, _today));
        }

        for (var year = _today.Year - _options.HistoryYears; year < _today.Year; year++)
        {
            var issued = new DateOnly(year + 1, 4, 15);
            if (s.Founded.Year <= year && issued <= _today)
            {
                yield return Record(Tax, s, issued, new TaxCreditRated(TaxLevel(random, s, year), year));
            }
        }

        for (var m = 1; m <= 3; m++)
        {
            var month = _today.AddMonths(-m);
            yield return Utility(random, s, new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1));
        }

        for (var i = Poisson(random, 3.0 * Math.Pow(r, 1.5)); i > 0; i--)
        {
            yield return Penalty(random, s, RandomDate(random, start, _today));
        }

        if (random.NextDouble() < 0.6)
        {
            yield return Inspection(random, s, RandomDate(random, start, _today));
        }

        if (r < 0.15 && random.NextDouble() < 0.2)
        {
            yield return Record(Development, s, RandomDate(random, start, _today), new RewardGranted((RewardLevel)random.Next(3)));
        }

        if (r < 0.25 && random.NextDouble() < 0.1)
        {
            var granted = RandomDate(random, start, _today);
            yield return Record(Development, s, granted, new ConfirmationGranted(random.NextDouble() < 0.5 ? "高新技术企业" : "专精特新中小企业", granted.AddYears(3)));
        }

        if (random.NextDouble() < 0.04 * r)
        {
            yield return Record(Tax, s, RandomDate(random, start, _today), new CompulsoryMeasureImposed("查封", null));
        }

        if (random.NextDouble() < 0.03)
        {
            yield return Record(Development, s, RandomDate(random, start, _today), new AdjudicationDecided(random.NextDouble() < 0.3 + r));
        }

        if (random.NextDouble() < 0.02 * r)
        {
            yield return SeriousListing(s, RandomDate(random, start, _today));
        }

        if (random.NextDouble() < 0.015 * r)
        {
            yield return Debtor(random, s, RandomDate(random, start, _today));
        }
    }

    private IEnumerable<CreditEvent> GovernmentHistory(Random random, SimulatedSubject s)
    {
        var start = _today.AddYears(-_options.HistoryYears);
        yield return Inspection(random, s, RandomDate(random, start, _today));
        if (random.NextDouble() < 0.1)
        {
            yield return Record(Court, s, RandomDate(random, start, _today), new AdjudicationDecided(random.NextDouble() < 0.5));
        }

        if (random.NextDouble() < 0.005)
        {
            yield return Debtor(random, s, RandomDate(random, start, _today));
        }
    }

    private CreditEvent Licence(Random random, SimulatedSubject s, DateOnly date) =>
        Record(MarketRegulation, s, date, new LicenceGranted(LicenceTypes[random.Next(LicenceTypes.Length)], date.AddYears(3 + random.Next(3))));

    private CreditEvent Utility(Random random, SimulatedSubject s, DateOnly date)
    {
        var overdue = random.NextDouble() < s.Risk * 0.5 ? 15 + random.Next(s.Risk > 0.7 ? 150 : 60) : 0;
        return Record(PowerSupply, s, date, new UtilityPaymentRecorded(UtilityKind.Electricity, date.ToString("yyyy-MM"), overdue));
    }

    private CreditEvent Inspection(Random random, SimulatedSubject s, DateOnly date)
    {
        var roll = random.NextDouble();
        var result = roll < s.Risk * 0.05 ? InspectionResult.CannotBeLocated
            : roll < s.Risk * 0.5 ? InspectionResult.RectificationOrdered
            : InspectionResult.NoProblem;
        return Record(MarketRegulation, s, date, new InspectionCompleted(result));
    }

    private CreditEvent Penalty(Random random, SimulatedSubject s, DateOnly date)
    {
        var roll = random.NextDouble();
        var (publicity, types, amount) = roll < 0.05 + 0.25 * s.Risk * s.Risk
            ? (PublicityClass.Serious, new[] { PenaltyType.AggravatedFine, random.NextDouble() < 0.5 ? PenaltyType.SuspensionOfBusiness : PenaltyType.LicenceRevocation }, 100_000m + random.Next(1_900_000))
            : roll < 0.8
                ? (PublicityClass.General, new[] { PenaltyType.Fine }, 2_000m + random.Next(150_000))
                : (PublicityClass.Minor, new[] { PenaltyType.Warning }, 0m);
        var department = random.NextDouble() < 0.7 ? MarketRegulation : Environment;
        return Record(department, s, date, new PenaltyImposed(types), publicity, amount > 0 ? amount : null, $"{department.Name[..2]}罚〔{date.Year}〕{random.Next(1, 999)}号");
    }

    private CreditEvent SeriousListing(SimulatedSubject s, DateOnly date) =>
        Record(MarketRegulation, s, date, new SeriousDishonestyListed("严重违法失信名单", MarketRegulation.Name, 36), PublicityClass.Serious);

    private CreditEvent Debtor(Random random, SimulatedSubject s, DateOnly date) =>
        Record(Court, s, date, new DishonestJudgmentDebtorListed($"({date.Year})陕{random.Next(1, 99):D2}执{random.Next(1, 9999)}号", Court.Name, JudgmentPerformance.None), PublicityClass.Serious);

    private CreditEvent Record(SimulatedDepartment department, SimulatedSubject s, DateOnly date, EventDetails details, PublicityClass? publicity = null, decimal? amount = null, string? document = null)
    {
        var counter = _recordCounters[department.Uscc] = _recordCounters.GetValueOrDefault(department.Uscc) + 1;
        return new CreditEvent
        {
            RecordId = $"{department.RecordPrefix}-{counter:D9}",
            SubjectId = s.Uscc,
            SubjectType = s.SubjectType,
            SubjectName = s.Name,
            SourceDepartment = department.Uscc,
            DecisionDate = date,
            DecisionDocumentNumber = document,
            PublicityClass = publicity,
            Amount = amount,
            Jurisdiction = s.DivisionCode,
            Provenance = Provenance.Platform,
            Details = details,
        };
    }

    private static TaxCreditLevel TaxLevel(Random random, SimulatedSubject s, int year)
    {
        if (s.Founded.Year == year)
        {
            return TaxCreditLevel.M;
        }

        var x = s.Risk + (random.NextDouble() - 0.5) * 0.2;
        return x switch
        {
            < 0.12 => TaxCreditLevel.A,
            < 0.55 => TaxCreditLevel.B,
            < 0.85 => TaxCreditLevel.C,
            _ => TaxCreditLevel.D,
        };
    }

    private static IReadOnlyList<SimulatedDepartment> CreateDepartments(Random random)
    {
        const string province = "610000";
        return
        [
            new(UsccGenerator.Create(random, '1', '1', province), "陕西省市场监督管理局", "SAMR"),
            new(UsccGenerator.Create(random, '1', '1', province), "国家税务总局陕西省税务局", "TAX"),
            new(UsccGenerator.Create(random, '1', '1', province), "陕西省高级人民法院", "COURT"),
            new(UsccGenerator.Create(random, '1', '1', province), "陕西省发展和改革委员会", "DRC"),
            new(UsccGenerator.Create(random, '9', '1', province), "国网陕西省电力有限公司", "POWER"),
            new(UsccGenerator.Create(random, '1', '1', province), "陕西省生态环境厅", "ENV"),
        ];
    }

    private IEnumerable<SimulatedSubject> CreateEnterprises(Random random)
    {
        var counties = AdministrativeDivisions.CountyLevel;
        var names = new Random(_options.Seed + 11);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < _options.Enterprises)
        {
            var county = counties[random.Next(counties.Count)];
            var roll = random.NextDouble();
            var (category, type) = roll < 0.85 ? ('1', SubjectType.Enterprise) : roll < 0.97 ? ('2', SubjectType.IndividualBusiness) : ('3', SubjectType.Enterprise);
            var uscc = UsccGenerator.Create(random, '9', category, county.Code);
            if (!seen.Add(uscc))
            {
                continue;
            }

            var founded = _today.AddDays(-random.Next(90, 365 * 20));
            var name = Names.Enterprise(random, names, CityName(county), CountyName(county), type == SubjectType.IndividualBusiness);
            yield return new SimulatedSubject(uscc, name, type, county.Code, founded, Math.Pow(random.NextDouble(), 2.5));
        }
    }

    private IEnumerable<SimulatedSubject> CreateGovernmentBodies(Random random)
    {
        var divisions = AdministrativeDivisions.CityLevelPeers.Concat(AdministrativeDivisions.CountyLevel).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < _options.GovernmentBodies)
        {
            var division = divisions[random.Next(divisions.Length)];
            var institution = random.NextDouble() < 0.3;
            var uscc = UsccGenerator.Create(random, '1', institution ? '2' : '1', division.Code);
            if (seen.Add(uscc))
            {
                yield return new SimulatedSubject(uscc, Names.GovernmentBody(random, CountyName(division), institution), SubjectType.GovernmentBody, division.Code, _today.AddYears(-30), Math.Pow(random.NextDouble(), 3));
            }
        }
    }

    /// <summary>The city-level peer's full name, as enterprise names begin (西安市…).</summary>
    private static string CityName(Division division) => AdministrativeDivisions.CityLevelOf(division.Code)?.Name ?? division.Name;

    /// <summary>A county-level unit qualified by its city (西安市雁塔区); a city-level peer by itself.</summary>
    private static string CountyName(Division division)
    {
        var city = CityName(division);
        return division.Name == city ? city : city + division.Name;
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly RandomDate(Random random, DateOnly from, DateOnly to) =>
        from >= to ? to : from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

    private static int Poisson(Random random, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
