//! Deterministic NPS log corpora for benchmarks: realistic request/response pairs,
//! accounting, NAP lines with validator results, English and Japanese, in each format.
//! Shared by the criterion benches and `examples/gen_corpus.rs`.

#![allow(dead_code)]

/// A small deterministic generator (xorshift), so corpora are the same on every run.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const USERS: &[&str] = &[
    "jdoe",
    "asmith",
    "napuser",
    "m.tanaka",
    "ivanov",
    "svc-backup",
];
const POLICIES: &[&str] = &[
    "Secure Wireless Connections",
    "NAP DHCP 非準拠",
    "NAP 802.1X スイッチ認証要求",
    "VPN, staff and contractors",
    "Wired 802.1X",
];
pub const WSHV_JA: &str = "Windows セキュリティ正常性検証ツール..:非準拠 :データなし :なし :(0xc0ff0001 - システム正常性コンポーネントが有効になっていません。 ..):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - )";
pub const WSHV_EN: &str = "Windows Security Health Validator:Compliant :No Data :None :(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - )";

fn time(r: &mut Rng) -> (String, String) {
    (
        format!("{:02}/{:02}/2026", 1 + r.below(12), 1 + r.below(28)),
        format!("{:02}:{:02}:{:02}", r.below(24), r.below(60), r.below(60)),
    )
}

fn mac(r: &mut Rng) -> String {
    let b = r.next_u64().to_be_bytes();
    format!(
        "{:02X}-{:02X}-{:02X}-{:02X}-{:02X}-{:02X}",
        b[0], b[1], b[2], b[3], b[4], b[5]
    )
}

/// One IAS (legacy) line.
pub fn ias(r: &mut Rng) -> String {
    let (d, t) = time(r);
    let user = USERS[r.below(USERS.len() as u64) as usize];
    let nas = format!("10.{}.{}.{}", r.below(255), r.below(255), 1 + r.below(250));
    let policy = POLICIES[r.below(POLICIES.len() as u64) as usize];
    let serial = r.below(1_000_000);
    match r.below(4) {
        0 => format!(
            "{nas},CORP\\{user},{d},{t},IAS,NPS-01,1,CORP\\{user},4,{nas},5,{port},61,19,30,00-3A-98-9C-AA-70:Corp WiFi,31,{mac},32,WLC-{n},6,2,12,1300,4108,{nas},4116,0,4128,WLC {n},4154,{policy},4155,1,4129,CORP\\{user},25,311 1 10.1.2.42 05/16/2026 02:17:48 {serial},4127,5,4132,Microsoft: Protected EAP (PEAP),4136,1,4142,0",
            port = r.below(65535),
            mac = mac(r),
            n = r.below(40)
        ),
        1 => format!(
            "{nas},,{d},{t},IAS,NPS-01,4130,CORP\\{user},4129,CORP\\{user},4128,WLC {n},4116,0,4108,{nas},25,311 1 10.1.2.42 05/16/2026 02:17:48 {serial},4149,{policy},4154,{policy},4155,1,4127,5,64,13,65,6,81,{vlan},8111,0,4136,{pt},4142,{rc}",
            n = r.below(40),
            vlan = 10 + r.below(90),
            pt = if r.below(5) == 0 { 3 } else { 2 },
            rc = [0, 0, 0, 16, 48, 65][r.below(6) as usize]
        ),
        2 => format!(
            "{nas},CORP\\{user},{d},{t},IAS,NPS-01,44,{sid:012X},40,{st},45,1,41,0,5,{port},61,15,87,DVLAN,31,{mac},6,2,4,{nas},42,{io},43,{oo},46,{st2},4108,{nas},4116,0,4128,SW-{n},4154,{policy},4136,4,4142,0",
            sid = r.next_u64() & 0xFFFF_FFFF_FFFF,
            st = 1 + r.below(3),
            port = r.below(5000),
            mac = mac(r),
            io = r.below(1 << 30),
            oo = r.below(1 << 30),
            st2 = r.below(86400),
            n = r.below(40)
        ),
        _ => format!(
            "{nas},,{d},{t},IAS,NAPNPS,25,311 1 ::1 01/11/2026 07:10:03 {serial},8153,0,8111,{q},44,{sid},6,2,4108,{nas},4116,0,4128,DHCP_NAPNET,7,1,8136,0,4154,NAP DHCP,4155,1,8133,{{5D2AA831-8E70-4699-BB11-C46158B368E3}} - 2026-01-17 04:13:03.106Z,8148,6.0.6000 0.0 x86 ,8129,CORP\\PC{n}$,4127,7,8124,{shv},4149,{policy},4136,2,4142,0",
            q = r.below(2),
            sid = r.below(4_000_000_000),
            n = r.below(900),
            shv = if r.below(2) == 0 { WSHV_JA } else { WSHV_EN }
        ),
    }
}

/// One database-compatible (ODBC) line, 66 columns.
pub fn odbc(r: &mut Rng) -> String {
    let (d, t) = time(r);
    let user = USERS[r.below(USERS.len() as u64) as usize];
    let policy = POLICIES[r.below(POLICIES.len() as u64) as usize];
    let nas = format!("10.{}.{}.{}", r.below(255), r.below(255), 1 + r.below(250));
    let mut cols = vec![String::new(); 66];
    cols[0] = "\"NPS-01\"".into();
    cols[1] = "\"IAS\"".into();
    cols[2] = d;
    cols[3] = t;
    let pt = [1, 2, 3, 4][r.below(4) as usize];
    cols[4] = pt.to_string();
    cols[5] = format!("\"CORP\\{user}\"");
    cols[6] = format!("\"CORP\\{user}\"");
    cols[7] = "\"00-3A-98-9C-AA-70:Corp WiFi\"".into();
    cols[8] = format!("\"{}\"", mac(r));
    cols[12] = format!("\"{nas}\"");
    cols[13] = r.below(65535).to_string();
    cols[14] = "0".into();
    cols[15] = format!("\"{nas}\"");
    cols[16] = format!("\"WLC {}\"", r.below(40));
    cols[19] = "19".into();
    cols[22] = "2".into();
    cols[23] = "5".into();
    cols[24] = format!("\"{policy}\"");
    cols[25] = if pt == 3 { "16".into() } else { "0".into() };
    cols[26] = format!(
        "\"311 1 10.1.2.42 05/16/2026 02:17:48 {}\"",
        r.below(1_000_000)
    );
    cols[30] = "\"Microsoft: Protected EAP (PEAP)\"".into();
    if pt == 4 {
        cols[31] = "1".into();
        cols[35] = format!("\"{:016X}\"", r.next_u64());
    }
    cols[60] = format!("\"{policy}\"");
    cols[61] = "1".into();
    cols.join(",")
}

/// One DTS (XML) line.
pub fn dts(r: &mut Rng) -> String {
    let (d, t) = time(r);
    let user = USERS[r.below(USERS.len() as u64) as usize];
    let policy = POLICIES[r.below(POLICIES.len() as u64) as usize];
    let nas = format!("10.{}.{}.{}", r.below(255), r.below(255), 1 + r.below(250));
    let ms = r.below(1000);
    if r.below(2) == 0 {
        format!(
            "<Event><Timestamp data_type=\"4\">{d} {t}.{ms:03}</Timestamp><Computer-Name data_type=\"1\">NPSServer</Computer-Name><Event-Source data_type=\"1\">IAS</Event-Source><User-Name data_type=\"1\">host/{user}.corp.example</User-Name><Calling-Station-Id data_type=\"1\">{mac}</Calling-Station-Id><Called-Station-Id data_type=\"1\">00-3a-98-9c-aa-70:Internal network</Called-Station-Id><NAS-Port data_type=\"0\">1</NAS-Port><NAS-IP-Address data_type=\"3\">{nas}</NAS-IP-Address><NAS-Identifier data_type=\"1\">WLANCON</NAS-Identifier><Vendor-Specific data_type=\"2\">0000376301060000000F</Vendor-Specific><Service-Type data_type=\"0\">2</Service-Type><Framed-MTU data_type=\"0\">1300</Framed-MTU><NAS-Port-Type data_type=\"0\">19</NAS-Port-Type><Tunnel-Type data_type=\"0\">13</Tunnel-Type><Tunnel-Medium-Type data_type=\"0\">6</Tunnel-Medium-Type><Tunnel-Pvt-Group-ID data_type=\"1\">110</Tunnel-Pvt-Group-ID><Client-IP-Address data_type=\"3\">{nas}</Client-IP-Address><Client-Vendor data_type=\"0\">0</Client-Vendor><Client-Friendly-Name data_type=\"1\">WLANCON</Client-Friendly-Name><Proxy-Policy-Name data_type=\"1\">{policy}</Proxy-Policy-Name><Provider-Type data_type=\"0\">1</Provider-Type><SAM-Account-Name data_type=\"1\">CORP\\{user}$</SAM-Account-Name><Class data_type=\"1\">311 1 10.1.2.42 05/16/2026 02:17:48 {serial}</Class><Authentication-Type data_type=\"0\">5</Authentication-Type><Packet-Type data_type=\"0\">1</Packet-Type><Reason-Code data_type=\"0\">0</Reason-Code></Event>",
            mac = mac(r),
            serial = r.below(1_000_000)
        )
    } else {
        format!(
            "<Event><Timestamp data_type=\"4\">{d} {t}.{ms:03}</Timestamp><Computer-Name data_type=\"1\">NAPNPS</Computer-Name><Event-Source data_type=\"1\">IAS</Event-Source><Class data_type=\"1\">311 1 ::1 01/11/2026 07:10:03 {serial}</Class><MS-Extended-Quarantine-State data_type=\"0\">0</MS-Extended-Quarantine-State><MS-Quarantine-State data_type=\"0\">1</MS-Quarantine-State><Client-IP-Address data_type=\"3\">{nas}</Client-IP-Address><Client-Vendor data_type=\"0\">0</Client-Vendor><Client-Friendly-Name data_type=\"1\">DHCP_NAPNET</Client-Friendly-Name><Proxy-Policy-Name data_type=\"1\">NAP DHCP</Proxy-Policy-Name><Provider-Type data_type=\"0\">1</Provider-Type><Fully-Qualified-Machine-Name data_type=\"1\">CORP\\PC{n}$</Fully-Qualified-Machine-Name><Authentication-Type data_type=\"0\">7</Authentication-Type><System-Health-Result data_type=\"1\">{shv}</System-Health-Result><NP-Policy-Name data_type=\"1\">{policy}</NP-Policy-Name><Packet-Type data_type=\"0\">2</Packet-Type><Reason-Code data_type=\"0\">0</Reason-Code></Event>",
            serial = r.below(1_000_000),
            n = r.below(900),
            shv = if r.below(2) == 0 { WSHV_JA } else { WSHV_EN }
        )
    }
}

/// `n` lines of one kind, newline-terminated (CRLF, as NPS writes), as one buffer.
pub fn corpus(kind: &str, n: usize, seed: u64) -> Vec<u8> {
    let mut r = Rng::new(seed);
    let mut out = Vec::new();
    for i in 0..n {
        let line = match kind {
            "ias" => ias(&mut r),
            "odbc" => odbc(&mut r),
            "dts" => dts(&mut r),
            _ => match i % 3 {
                0 => ias(&mut r),
                1 => odbc(&mut r),
                _ => dts(&mut r),
            },
        };
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}
