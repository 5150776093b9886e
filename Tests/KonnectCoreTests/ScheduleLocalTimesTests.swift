import Foundation
import KonnectCore
import XCTest

/// A schedule's local run times are written by hand from the zone's offset
/// (a plan notes thousands); they read as ICU's `yyyy-MM-dd HH:mm xxx` does.
final class ScheduleLocalTimesTests: XCTestCase {
    func testLocalTimesReadAsICUWritesThem() throws {
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Pacific/Chatham",
                     "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
        // Instants around DST changes and year ends, before and after the epoch, and far ahead.
        let instants: [Double] = [0, -86_400 * 400 + 59, 1_774_746_000, 1_774_749_600, 1_792_890_000, 1_798_761_599,
                                  1_798_761_600, 4_102_444_740, 253_402_300_740]
        for name in zones {
            let definition: JSONValue = .object(["trigger": .object(["schedule": .object([
                "cron": .string("0 9 * * *"), "timezone": .string(name)])])])
            let schedule = try XCTUnwrap(Schedule(definition: definition), name)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: name)
            formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
            let dates = instants.map { Date(timeIntervalSince1970: $0) }
            XCTAssertEqual(schedule.localTimes(dates), dates.map { "\(formatter.string(from: $0)) (\(name))" }, name)
        }
    }
}
