namespace CreditGrid.Models.Training.Data;

/// <summary>
/// The input file or its contents cannot be used. The message is written for the person who supplied the file,
/// so the command line prints it as is, without a stack trace.
/// </summary>
public sealed class InputDataException(string message) : Exception(message);
