package sandbox

// Fixture facts other packages use.
const (
	// DemoClientID is the client_id of the sandbox's only OAuth application.
	DemoClientID = "89373b7b9163f9497a0f6f5441d93d2558fd44b772c54d22ed37689600dd4fcc"
	// DemoClientSecret is the client_secret of that application.
	DemoClientSecret = "c21c0a00d17721f76ca076bcdf97569d8c71260b9b5e985a1b39d87d70022e51"
	// DemoCompanyID is the company where the application is installed.
	DemoCompanyID = 4264807
	// DemoUserID is the ID of the user who approves every authorization.
	DemoUserID = 160586
	// OOBRedirectURI is the out-of-band redirect URI: the code is shown on a
	// page instead of being sent to a redirect URI.
	OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"
)

// More fixture facts, useful in tests of the error paths.
const (
	// OtherCompanyID is a company the user belongs to where the application
	// is not installed: calls scoped to it get 403.
	OtherCompanyID = 4264808
	// ServiceAccountID is the user that client-credentials tokens act as.
	ServiceAccountID = 160587
	// LargeProjectID is a project ID above 2^32, to catch int32 truncation.
	LargeProjectID = 562949953421313
)

// user is the body of GET /rest/v1.0/me.
type user struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// company is an element of GET /rest/v1.0/companies.
type company struct {
	ID                    int64   `json:"id"`
	Name                  string  `json:"name"`
	IsActive              bool    `json:"is_active"`
	LogoURL               *string `json:"logo_url"`
	PCNBusinessExperience bool    `json:"pcn_business_experience"`
	MyCompany             bool    `json:"my_company"`

	installed bool // whether the OAuth application is installed
}

// idName is the {id, name} object Procore nests in projects.
type idName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// project is an element of GET /rest/v1.x/projects. Fields that are not
// modelled are null, never invented.
type project struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	DisplayName   string   `json:"display_name"`
	ProjectNumber string   `json:"project_number"`
	Address       string   `json:"address"`
	City          string   `json:"city"`
	StateCode     string   `json:"state_code"`
	CountryCode   string   `json:"country_code"`
	Zip           string   `json:"zip"`
	County        string   `json:"county"`
	TimeZone      string   `json:"time_zone"`
	Latitude      *float64 `json:"latitude"`
	Longitude     *float64 `json:"longitude"`
	Stage         string   `json:"stage"`
	ProjectStage  idName   `json:"project_stage"`
	Phone         *string  `json:"phone"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
	Active        bool     `json:"active"`
	OriginID      *string  `json:"origin_id"`
	OriginData    *string  `json:"origin_data"`
	OriginCode    *string  `json:"origin_code"`
	Company       idName   `json:"company"`
}

// client is a registered OAuth application.
type client struct {
	id, secret        string
	clientCredentials bool // DMSA enabled
}

// fixtures is the sandbox's fixed data. Each Sandbox gets its own copy.
type fixtures struct {
	client    client
	users     []user
	companies []company // the user is a member of all of them
	projects  []project
}

func newFixtures() fixtures {
	const (
		demoCompanyName = "Sandbox Test Company"
		timeZone        = "US/Pacific"
	)
	lat, lon := 34.4208, -119.6982
	coc := idName{ID: 1, Name: "Course of Construction"}
	demo := idName{ID: DemoCompanyID, Name: demoCompanyName}
	return fixtures{
		client: client{id: DemoClientID, secret: DemoClientSecret, clientCredentials: true},
		users: []user{
			{ID: DemoUserID, Login: "carl.contractor@example.com", Name: "Carl Contractor"},
			{ID: ServiceAccountID, Login: "sandbox-dmsa@example.com", Name: "Sandbox Service Account"},
		},
		companies: []company{
			{ID: DemoCompanyID, Name: demoCompanyName, IsActive: true, MyCompany: true, installed: true},
			{ID: OtherCompanyID, Name: "Other GC", IsActive: true},
		},
		projects: []project{
			{
				ID: LargeProjectID, Name: "1234 – Sandbox Test Project",
				DisplayName: "1234 - Sandbox Test Project", ProjectNumber: "1234",
				Address: "6309 Carpinteria Avenue", City: "Carpinteria", StateCode: "CA",
				CountryCode: "US", Zip: "93013", County: "Santa Barbara County",
				TimeZone: timeZone, Latitude: &lat, Longitude: &lon,
				Stage: coc.Name, ProjectStage: coc,
				CreatedAt: "2024-03-14T16:20:05Z", UpdatedAt: "2025-01-09T18:02:41Z",
				Active: true, Company: demo,
			},
			{
				ID: 279361, Name: "Riverside Medical Office Building",
				DisplayName: "2001 - Riverside Medical Office Building", ProjectNumber: "2001",
				Address: "100 Riverside Drive", City: "Ventura", StateCode: "CA",
				CountryCode: "US", Zip: "93001", County: "Ventura County",
				TimeZone: timeZone, Stage: coc.Name, ProjectStage: coc,
				CreatedAt: "2024-05-02T09:11:37Z", UpdatedAt: "2025-02-17T21:45:00Z",
				Active: true, Company: demo,
			},
			{
				ID: 279362, Name: "Harbor Logistics Warehouse",
				DisplayName: "2002 - Harbor Logistics Warehouse", ProjectNumber: "2002",
				Address: "2 Harbor Way", City: "Oxnard", StateCode: "CA",
				CountryCode: "US", Zip: "93030", County: "Ventura County",
				TimeZone: timeZone, Stage: "Closeout", ProjectStage: idName{ID: 2, Name: "Closeout"},
				CreatedAt: "2022-08-22T20:18:55Z", UpdatedAt: "2023-11-30T15:03:12Z",
				Active: false, Company: demo,
			},
		},
	}
}

func (f *fixtures) user(id int64) (user, bool) {
	for _, u := range f.users {
		if u.ID == id {
			return u, true
		}
	}
	return user{}, false
}

func (f *fixtures) company(id int64) (company, bool) {
	for _, c := range f.companies {
		if c.ID == id {
			return c, true
		}
	}
	return company{}, false
}
