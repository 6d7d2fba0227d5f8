using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Identifiers;

// PLACEHOLDER — replaced by the GB 32100 validator; public members are the contract.
public static class Uscc
{
    public static UsccCheck Validate(string? code) =>
        code is { Length: 18 }
            ? new UsccCheck(null, "", code.ToUpperInvariant(), code[1] is '1' or '2' && code[0] == '1' ? SubjectType.GovernmentBody : SubjectType.Enterprise, code.Substring(2, 6), false)
            : new UsccCheck(UsccFailure.WrongFormat, "length", null, null, null, false);
}

public sealed record UsccCheck(UsccFailure? Failure, string Message, string? Normalised, SubjectType? SubjectType, string? DivisionCode, bool Whitelisted)
{
    public bool IsValid => Failure is null;
}

public enum UsccFailure
{
    WrongFormat,
    WrongAuthority,
    WrongRegion,
    WrongOrgCodeCheck,
    WrongCheck,
}
