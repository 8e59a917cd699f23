-- Public holidays (DOMAIN.md §7: legal time limits are counted in working days, and holidays are
-- not working days). Labour Code 45/2019/QH14 Art. 112(1): 1 Jan; Lunar New Year (Tết), 5 days,
-- the days chosen each year by the Prime Minister; 30 Apr; 1 May; 2 Sep and one day next to it;
-- the Hùng Kings' Commemoration, 10th day of the 3rd lunar month. Art. 112(3): a holiday that
-- falls on the weekly rest day gives a compensating day off on the next working day.
-- Only days off are listed (rows on a weekend are kept when the holiday itself falls there, to
-- show why the compensating day follows). Public-sector swaps (a working Saturday traded for a
-- day off, e.g. Fri 2 May 2025 for Sat 26 Apr 2025, Mon 31 Aug 2026 for Sat 22 Aug 2026) are
-- not statutory holidays and are not listed: the rules count Saturdays as days off.
-- "(M)": from memory or an estimate, not checked against the announcement.
CREATE TABLE public_holidays (
    day DATE PRIMARY KEY,
    name TEXT NOT NULL,
    legal_basis TEXT NOT NULL
);

INSERT INTO public_holidays (day, name, legal_basis) VALUES
    ('2025-01-01', 'New Year''s Day (Tết Dương lịch)', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2025-01-27', 'Lunar New Year (Tết Nguyên đán), 28 Tết', 'Labour Code 45/2019/QH14 Art. 112(1); Announcement 6150/TB-BLĐTBXH (2024)'),
    ('2025-01-28', 'Lunar New Year (Tết Nguyên đán), 29 Tết', 'Labour Code 45/2019/QH14 Art. 112(1); Announcement 6150/TB-BLĐTBXH (2024)'),
    ('2025-01-29', 'Lunar New Year (Tết Nguyên đán), 1st day', 'Labour Code 45/2019/QH14 Art. 112(1); Announcement 6150/TB-BLĐTBXH (2024)'),
    ('2025-01-30', 'Lunar New Year (Tết Nguyên đán), 2nd day', 'Labour Code 45/2019/QH14 Art. 112(1); Announcement 6150/TB-BLĐTBXH (2024)'),
    ('2025-01-31', 'Lunar New Year (Tết Nguyên đán), 3rd day', 'Labour Code 45/2019/QH14 Art. 112(1); Announcement 6150/TB-BLĐTBXH (2024)'),
    ('2025-04-07', 'Hùng Kings'' Commemoration (10/3 lunar)', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2025-04-30', 'Reunification Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2025-05-01', 'International Labour Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2025-09-01', 'National Day (day next to 2 Sep)', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s choice of the adjacent day'),
    ('2025-09-02', 'National Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-01-01', 'New Year''s Day (Tết Dương lịch)', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-02-16', 'Lunar New Year (Tết Nguyên đán), 29 Tết', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s Tết 2026 arrangement (M)'),
    ('2026-02-17', 'Lunar New Year (Tết Nguyên đán), 1st day', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s Tết 2026 arrangement (M)'),
    ('2026-02-18', 'Lunar New Year (Tết Nguyên đán), 2nd day', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s Tết 2026 arrangement (M)'),
    ('2026-02-19', 'Lunar New Year (Tết Nguyên đán), 3rd day', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s Tết 2026 arrangement (M)'),
    ('2026-02-20', 'Lunar New Year (Tết Nguyên đán), 4th day', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s Tết 2026 arrangement (M)'),
    ('2026-04-26', 'Hùng Kings'' Commemoration (10/3 lunar), a Sunday', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-04-27', 'Hùng Kings'' Commemoration, compensating day', 'Labour Code 45/2019/QH14 Art. 112(3)'),
    ('2026-04-30', 'Reunification Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-05-01', 'International Labour Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-09-01', 'National Day (day next to 2 Sep)', 'Labour Code 45/2019/QH14 Art. 112(1); Prime Minister''s choice of the adjacent day'),
    ('2026-09-02', 'National Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2026-11-24', 'Vietnamese Culture Day (M)', 'Resolution 80-NQ/TW (paid day off from 2026); the Labour Code text to confirm (M)'),
    ('2027-01-01', 'New Year''s Day (Tết Dương lịch)', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-02-04', 'Lunar New Year (Tết Nguyên đán), before the 1st day (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Tết 2027 arrangement to confirm (M)'),
    ('2027-02-05', 'Lunar New Year (Tết Nguyên đán), eve (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Tết 2027 arrangement to confirm (M)'),
    ('2027-02-06', 'Lunar New Year (Tết Nguyên đán), 1st day, a Saturday', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-02-07', 'Lunar New Year (Tết Nguyên đán), 2nd day, a Sunday', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-02-08', 'Lunar New Year (Tết Nguyên đán), 3rd day (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Tết 2027 arrangement to confirm (M)'),
    ('2027-02-09', 'Lunar New Year (Tết Nguyên đán), 4th day (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Tết 2027 arrangement to confirm (M)'),
    ('2027-02-10', 'Lunar New Year (Tết Nguyên đán), 5th day (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Tết 2027 arrangement to confirm (M)'),
    ('2027-04-16', 'Hùng Kings'' Commemoration (10/3 lunar)', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-04-30', 'Reunification Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-05-01', 'International Labour Day, a Saturday', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-05-03', 'International Labour Day, compensating day', 'Labour Code 45/2019/QH14 Art. 112(3)'),
    ('2027-09-02', 'National Day', 'Labour Code 45/2019/QH14 Art. 112(1)'),
    ('2027-09-03', 'National Day (day next to 2 Sep) (M)', 'Labour Code 45/2019/QH14 Art. 112(1); estimate, the Prime Minister chooses the adjacent day (M)'),
    ('2027-11-24', 'Vietnamese Culture Day (M)', 'Resolution 80-NQ/TW (paid day off from 2026); the Labour Code text to confirm (M)');
