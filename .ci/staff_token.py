# For fuzzing the staff API in CI: signs the demo administrator in on the pages (password, then
# TOTP enrolment), then logs in to the API with the next TOTP code and prints the access token.
# Usage: python3 .ci/staff_token.py http://127.0.0.1:PORT (the portal run with COOKIE_SECURE=false,
# as this client keeps no Secure cookies over plain http).
import base64, hashlib, hmac, http.cookiejar, json, re, struct, sys, time, urllib.parse, urllib.request
base = sys.argv[1]
login, password = 'quantri@demo.ansinh.vn', 'quan-tri-vien-demo-2026'
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
def get(path): return opener.open(base + path).read().decode()
def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(base + path, data=data, headers={'Origin': base})
    return opener.open(req).read().decode()
def csrf(html): return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
def totp(secret, at):
    key = base64.b32decode(secret + '=' * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack('>Q', int(at // 30)), hashlib.sha1).digest()
    o = mac[-1] & 0xf
    return '%06d' % ((struct.unpack('>I', mac[o:o + 4])[0] & 0x7fffffff) % 1000000)
page = get('/login')
post('/login', {'csrf_token': csrf(page), 'login': login, 'password': password, 'next': '/admin'})
mfa = get('/admin/mfa')
secret = re.search(r'class="secret">([^<]+)<', mfa).group(1).strip()
now = time.time()
post('/admin/mfa', {'csrf_token': csrf(mfa), 'totp_code': totp(secret, now)})
# A code is accepted once: wait for the next 30-second step.
time.sleep(30 - now % 30 + 1)
body = json.dumps({'login': login, 'password': password, 'totp_code': totp(secret, time.time())}).encode()
req = urllib.request.Request(base + '/api/v1/auth/login', data=body, headers={'Content-Type': 'application/json'})
print(json.load(opener.open(req))['access_token'])
