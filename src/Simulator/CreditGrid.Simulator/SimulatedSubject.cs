using CreditGrid.Domain.Events;

namespace CreditGrid.Simulator;

/// <summary>
/// A generated credit subject. <see cref="Risk"/> is its latent propensity to misbehave (0 = exemplary, 1 = worst):
/// every generated record is drawn from it, so the credit picture it produces is coherent per subject.
/// </summary>
public sealed record SimulatedSubject(string Uscc, string Name, SubjectType SubjectType, string DivisionCode, DateOnly Founded, double Risk);

/// <summary>A providing department (数据提供部门): its USCC and the prefix of its record ids.</summary>
public sealed record SimulatedDepartment(string Uscc, string Name, string RecordPrefix);
