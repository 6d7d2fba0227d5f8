using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Simulator.PreCredit;

/// <summary>
/// The generative default model behind the shipped pre-credit model (see <c>models/README.md</c>). Each enterprise
/// draws a latent risk z ~ N(0, 1) and a size; its credit history — business licence, tax ratings with tax paid,
/// invoiced sales, monthly electricity bills, social-insurance arrears, penalties, court losses, bank loans and
/// lists — is drawn with rates that rise with z. The history is then folded by the scoring rules and read by
/// <see cref="PreCreditFeatureExtractor"/>, and the twelve-month probability of default is
/// <see cref="DefaultProbability"/> of z and those observable features.
/// </summary>
public sealed class BorrowerSimulator
{
    /// <summary>Intercept of the default logit: about 5% of enterprises default at the population's mix.</summary>
    public const double Intercept = -4.0;

    private const string BankName = "陕西某国有商业银行";
    private readonly DateOnly _today;
    private readonly Random _random;
    private readonly string _market;
    private readonly string _tax;
    private readonly string _court;
    private readonly string _power;
    private readonly string _social;
    private long _records;

    public BorrowerSimulator(int seed, DateOnly today)
    {
        _today = today;
        _random = new Random(seed);
        const string province = "610000";
        _market = UsccGenerator.Create(_random, '1', '1', province);
        _tax = UsccGenerator.Create(_random, '1', '1', province);
        _court = UsccGenerator.Create(_random, '1', '1', province);
        _power = UsccGenerator.Create(_random, '9', '1', province);
        _social = UsccGenerator.Create(_random, '1', '1', province);
    }

    /// <summary>
    /// Logit of the probability of default: latent risk plus the observable drivers a lender sees. The composite
    /// score enters with a negative coefficient and nothing else depends on it, so PD falls as the score rises.
    /// </summary>
    public static double DefaultLogit(double latentRisk, PreCreditFeatures f) =>
        Intercept
        + (0.8 * latentRisk)
        - (0.006 * (f.CompositeScore - 750))
        + (1.5 * (1 - f.UtilityOnTimeRateLast12))
        + (0.35 * f.ContractBreachesLast24Months)
        + (0.25 * f.CourtLossesLast24Months)
        + (0.05 * f.SocialInsuranceArrearsMonths)
        - (0.3 * (Math.Log10(1 + (double)f.AnnualInvoiceSales) - 6.5));

    /// <summary>The true twelve-month probability of default.</summary>
    public static double DefaultProbability(double latentRisk, PreCreditFeatures f) => 1 / (1 + Math.Exp(-DefaultLogit(latentRisk, f)));

    /// <summary>The next simulated enterprise with its history in decision-date order.</summary>
    public SimulatedBorrower Next()
    {
        var county = AdministrativeDivisions.CountyLevel[_random.Next(AdministrativeDivisions.CountyLevel.Count)];
        var uscc = UsccGenerator.Create(_random, '9', '1', county.Code);
        var z = Normal();
        var ageMonths = 3 + _random.Next(238);
        var founded = _today.AddMonths(-ageMonths).AddDays(-_random.Next(28));
        var logSales = 6.5 + (0.7 * Normal());
        var sales = Math.Round((decimal)Math.Pow(10, logSales), 0);
        var events = new List<CreditEvent>();
        void Add(string department, DateOnly date, EventDetails details, decimal? amount = null, PublicityClass? publicity = null)
        {
            if (date >= founded && date <= _today)
            {
                events.Add(Record(uscc, county.Code, department, date, details, amount, publicity));
            }
        }

        Add(_market, founded, new LicenceGranted(PreCreditFeatureExtractor.BusinessLicence, null));
        var declares = _random.NextDouble() >= Sigmoid(-3.5 + (0.6 * z));
        for (var year = _today.Year - 3; year < _today.Year; year++)
        {
            var issued = new DateOnly(year + 1, 4, 15);
            if (founded.Year <= year)
            {
                var taxPaid = declares ? Math.Round(sales * (decimal)(0.02 + (0.03 * _random.NextDouble())), 0) : 0m;
                Add(_tax, issued, new TaxCreditRated(TaxLevel(z, founded.Year == year), year), taxPaid);
            }
        }

        if (declares)
        {
            Add(_tax, _today.AddDays(-_random.Next(180)), new SelfDeclaredInformation(DeclarationCategory.Operations, Verified: true), sales);
        }

        var lateRate = Sigmoid(-2.6 + (1.2 * z));
        for (var m = 12; m >= 1; m--)
        {
            var month = _today.AddMonths(-m);
            var billed = new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1);
            var overdue = _random.NextDouble() < lateRate ? 5 + _random.Next(z > 1 ? 150 : 60) : 0;
            Add(_power, billed, new UtilityPaymentRecorded(UtilityKind.Electricity, billed.ToString("yyyy-MM"), overdue));
        }

        if (_random.NextDouble() < Sigmoid(-3.0 + z))
        {
            var date = RandomDate(24);
            Add(_social, date, new SocialInsuranceArrearsRecorded(1 + _random.Next(12), 5 + _random.Next(200), ProvidentFund: false));
            if (_random.NextDouble() < 0.5)
            {
                Add(_social, Later(date, RandomDate(12)), new ArrearsCleared(ArrearsKind.SocialInsurance, null));
            }
        }

        for (var i = Poisson(Math.Exp(-1.6 + (0.7 * z))); i > 0; i--)
        {
            var isSerious = _random.NextDouble() < Sigmoid(-3.5 + (0.8 * z));
            Add(_market, RandomDate(36), new PenaltyImposed(isSerious ? [PenaltyType.AggravatedFine, PenaltyType.SuspensionOfBusiness] : [PenaltyType.Fine]),
                isSerious ? 200_000m : 5_000m + _random.Next(50_000), isSerious ? PublicityClass.Serious : PublicityClass.General);
        }

        for (var i = Poisson(Math.Exp(-2.8 + (0.8 * z))); i > 0; i--)
        {
            Add(_court, RandomDate(36), new CourtJudgmentRecorded($"({_today.Year})陕01民初{_random.Next(1, 99999)}号", "西安市中级人民法院", CaseType.DebtDispute, SubjectLost: true));
        }

        var breachRate = Sigmoid(-3.5 + (1.3 * z));
        for (var i = Poisson(1.2); i > 0; i--)
        {
            var outcome = _random.NextDouble() < breachRate ? ContractOutcome.Breached : ContractOutcome.Fulfilled;
            Add(_market, RandomDate(30), new ContractPerformanceRecorded(BankName, CounterpartyKind.StateOwned, outcome, PublicProcurement: false), Math.Round(sales * 0.1m, 0));
        }

        if (_random.NextDouble() < Sigmoid(-4.5 + z))
        {
            Add(_market, RandomDate(24), new AbnormalOperationsListed(AbnormalOperationsReason.AnnualReportNotFiled, _market));
        }

        if (_random.NextDouble() < Sigmoid(-4.0 + z))
        {
            Add(_tax, RandomDate(24), new TaxArrearsRecorded(30 + _random.Next(300), AbnormalTaxpayer: _random.NextDouble() < 0.3));
        }

        if (_random.NextDouble() < Sigmoid(-6.5 + (1.2 * z)))
        {
            Add(_market, RandomDate(30), new SeriousDishonestyListed("严重违法失信名单", _market, 36), publicity: PublicityClass.Serious);
        }

        if (_random.NextDouble() < Sigmoid(-6.0 + (1.2 * z)))
        {
            Add(_court, RandomDate(30), new DishonestJudgmentDebtorListed($"({_today.Year})陕01执{_random.Next(1, 9999)}号", "西安市中级人民法院", JudgmentPerformance.None), publicity: PublicityClass.Serious);
        }

        return new SimulatedBorrower(uscc, z, [.. events.OrderBy(e => e.DecisionDate)]);
    }

    /// <summary>A uniform draw of the label: true (default) with probability <paramref name="pd"/>.</summary>
    public bool DrawDefault(double pd) => _random.NextDouble() < pd;

    private TaxCreditLevel TaxLevel(double z, bool firstYear)
    {
        if (firstYear)
        {
            return TaxCreditLevel.M;
        }

        var x = z + (0.5 * Normal());
        return x switch
        {
            < -1.0 => TaxCreditLevel.A,
            < 0.6 => TaxCreditLevel.B,
            < 1.8 => TaxCreditLevel.C,
            _ => TaxCreditLevel.D,
        };
    }

    private CreditEvent Record(string subject, string division, string department, DateOnly date, EventDetails details, decimal? amount, PublicityClass? publicity) =>
        new()
        {
            RecordId = $"PC-{++_records:D10}",
            SubjectId = subject,
            SubjectType = SubjectType.Enterprise,
            SourceDepartment = department,
            DecisionDate = date,
            PublicityClass = publicity,
            Amount = amount,
            Jurisdiction = division,
            Provenance = Provenance.Platform,
            Details = details,
        };

    private DateOnly RandomDate(int monthsBack) => _today.AddDays(-_random.Next(Math.Max(1, _today.DayNumber - _today.AddMonths(-monthsBack).DayNumber)));

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private int Poisson(double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = _random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= _random.NextDouble();
        }

        return k;
    }
}

/// <summary>One simulated applicant: code, latent risk and its credit records in decision-date order.</summary>
public sealed record SimulatedBorrower(string Uscc, double LatentRisk, IReadOnlyList<CreditEvent> Events);
