/**
 * DynamoDB's limits on key values, in UTF-8 bytes: a partition key (of a table or of an
 * index) holds at most 2048, a sort key at most 1024. A request with a longer key value is
 * refused by DynamoDB with a `ValidationException`, so input that becomes a key is checked
 * against these first and refused with a 400 that says so.
 */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;
