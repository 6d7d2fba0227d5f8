using CreditGrid.Grains;
using CreditGrid.Grains.Rules;
using CreditGrid.Domain.Disclosure;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Reference;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Directory;
using CreditGrid.Storage;

namespace CreditGrid.Gateway.Public;

/// <summary>
/// The public lookup (信用中国-style): a subject by its USCC, or subjects by a fragment of their name through the
/// name directory, each with what may be disclosed (<see cref="PublicDisclosure"/>) and personal data masked.
/// </summary>
public sealed class PublicLookup(IGrainFactory grains, ICreditEventLog log, ActiveRules active, TimeProvider time)
{
    public async Task<PublicSubjectResponse?> ByCodeAsync(string uscc, CancellationToken cancellationToken)
    {
        var history = await SubjectHistory.ReadAsync(log, uscc, cancellationToken);
        if (history.Count == 0)
        {
            return null;
        }

        var check = Uscc.Validate(uscc);
        return Disclose(uscc, SubjectHistory.LatestName(history), check.SubjectType ?? SubjectType.Other, check.DivisionCode, history);
    }

    /// <summary>Fans the search out to every directory shard, merges the answers, then reads each match's log.</summary>
    public async Task<IReadOnlyList<PublicSubjectResponse>> ByNameAsync(string fragment, int limit, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(NameDirectoryShards.All.Select(shard => grains.Reference<ISubjectNameDirectoryGrain>(shard).SearchAsync(fragment, limit)));
        var matches = NameSearch.Find(answers.SelectMany(a => a), fragment, limit);
        var subjects = new List<PublicSubjectResponse>(matches.Count);
        foreach (var match in matches)
        {
            var history = await SubjectHistory.ReadAsync(log, match.SubjectId, cancellationToken);
            subjects.Add(Disclose(match.SubjectId, SubjectHistory.LatestName(history) ?? match.Name, match.SubjectType, match.DivisionCode, history));
        }

        return subjects;
    }

    private PublicSubjectResponse Disclose(string uscc, string? name, SubjectType type, string? divisionCode, IReadOnlyList<CreditEvent> history)
    {
        var rules = active.Evaluator.Rules;
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(rules.LocalUtcOffset).DateTime);
        var view = PublicDisclosure.Select(history, rules, today);
        var city = divisionCode is null ? null : AdministrativeDivisions.CityLevelOf(divisionCode);
        return new PublicSubjectResponse(
            uscc,
            PersonalDataMasker.MaskSubjectName(name, type),
            type,
            divisionCode,
            city?.Code,
            city?.Name,
            [.. view.Records.Select(PublicRecordResponse.From)],
            view.Lists);
    }
}
