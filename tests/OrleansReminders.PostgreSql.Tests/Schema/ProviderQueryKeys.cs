namespace OrleansReminders.PostgreSql.Tests.Schema;

/// <summary>The query keys the Orleans 10.4 ADO.NET providers look up in OrleansQuery.</summary>
internal static class ProviderQueryKeys
{
    public static readonly string[] Clustering =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    public static readonly string[] Persistence =
        ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    public static readonly string[] Reminders =
    [
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    public static readonly string[] All = [.. Clustering, .. Persistence, .. Reminders];
}
