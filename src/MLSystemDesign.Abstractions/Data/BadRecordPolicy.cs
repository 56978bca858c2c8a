namespace MLSystemDesign.Data;

/// <summary>What a source does with a record it cannot read.</summary>
public enum BadRecordPolicy
{
    /// <summary>Throw a <see cref="DataRecordException"/> naming the file, record, column and value. The default.</summary>
    Fail,

    /// <summary>Skip the record and count it in the <see cref="DataReadReport"/>, which must then be supplied.</summary>
    Skip,
}
